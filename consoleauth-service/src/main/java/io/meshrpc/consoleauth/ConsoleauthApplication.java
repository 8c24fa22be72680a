package io.meshrpc.consoleauth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Skeleton of the consoleauth-service; its behaviour arrives with the example-cluster issue. */
@SpringBootApplication
public class ConsoleauthApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleauthApplication.class, args);
    }
}
