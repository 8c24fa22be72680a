package io.meshrpc.compute.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.services.compute.ComputeApi;

/** The whole agent: capacity from its properties, served as a compute host under its node id. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=compute-9", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "compute.vcpus=6", "compute.ram-mb=3072"})
@AutoConfigureRestTestClient
class ComputeAgentApplicationTest {

    @TestConfiguration
    static class Directory {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }
    }

    @Autowired
    RestTestClient http;

    @Autowired
    Matchmaker matchmaker;

    @Test
    void theHypervisorViewShowsTheConfiguredCapacityUnderTheNodeId() {
        http.get().uri("/api/v1/hypervisor").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.host").isEqualTo("compute-9")
                .jsonPath("$.vcpus").isEqualTo(6)
                .jsonPath("$.ramMb").isEqualTo(3072)
                .jsonPath("$.usedVcpus").isEqualTo(0);
    }

    @Test
    void theAgentServesTheComputeTopicUnderItsNodeId() {
        assertThat(matchmaker.lookup(ComputeApi.TOPIC)).extracting(n -> n.nodeId()).containsExactly("compute-9");
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void theCapacityPropertiesAreDescribedInTheConfigurationMetadata() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(metadata).contains("\"compute.vcpus\"", "\"compute.ram-mb\"", "\"compute.build-time\"",
                    "\"compute.report-interval\"", "\"compute.console-base-port\"",
                    "virtual CPUs instances can take in total");
        }
    }
}
