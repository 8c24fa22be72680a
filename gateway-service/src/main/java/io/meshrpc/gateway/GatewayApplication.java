package io.meshrpc.gateway;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The public API (like nova-api): {@code /api/v1/servers}. Every request becomes RPC over the
 * mesh: the scheduler picks a host, the host's agent builds, consoleauth issues console tokens.
 * The gateway is a mesh node itself (topic {@code gateway}) to hear instance state changes.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
