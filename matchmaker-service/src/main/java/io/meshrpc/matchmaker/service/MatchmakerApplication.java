package io.meshrpc.matchmaker.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Skeleton of the matchmaker-service; its REST registry arrives with the matchmaker issue. */
@SpringBootApplication
public class MatchmakerApplication {

    public static void main(String[] args) {
        SpringApplication.run(MatchmakerApplication.class, args);
    }
}
