package io.meshrpc.compute;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A compute agent: one simulated hypervisor, serving topic {@code compute} under its node id.
 * Builds and deletes arrive as casts from the gateway; the agent tells the gateways what became
 * of each instance and the schedulers how much room it has left.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ComputeAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComputeAgentApplication.class, args);
    }
}
