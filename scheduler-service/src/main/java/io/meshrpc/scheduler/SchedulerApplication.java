package io.meshrpc.scheduler;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The scheduler: serves topic {@code scheduler}, keeps the capacity compute agents report, and
 * answers {@code select_destination}. Replicas share the topic; each one hears every agent's
 * report (a fanout), so any of them can place any instance.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SchedulerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SchedulerApplication.class, args);
    }

    /** The clock report ages and claims are measured with; tests move their own. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
