package io.meshrpc.matchmaker.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The matchmaker: a REST registry of which nodes serve which topic, whether they are live (TTL heartbeats),
 * and which delivery policy applies to them. See {@code docs/matchmaker-api.md}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MatchmakerApplication {

    public static void main(String[] args) {
        SpringApplication.run(MatchmakerApplication.class, args);
    }
}
