package io.meshrpc.compute;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Skeleton of the compute-agent; its behaviour arrives with the example-cluster issue. */
@SpringBootApplication
public class ComputeAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComputeAgentApplication.class, args);
    }
}
