package io.meshrpc.consoleauth;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Console authorization (topic {@code consoleauth}): issues short-lived tokens for instance
 * consoles and checks them, as Nova's consoleauth did for its noVNC proxy.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ConsoleauthApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleauthApplication.class, args);
    }

    /** Token expiry is measured with it; tests move their own. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
