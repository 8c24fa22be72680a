package io.meshrpc.scheduler.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.SchedulerApi;
import io.meshrpc.transport.zmq.ZmqSettings;

/** The whole application: its node joins a directory shared with a test node, its HTTP side shows the hosts. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=scheduler-t", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1"})
@AutoConfigureRestTestClient
class SchedulerApplicationTest {

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

    private MeshNode agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void aReportedHostAppearsInTheHostsViewWithItsFreeCapacity() throws Exception {
        agent = MeshNode.builder().nodeId("compute-7").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0)).build()
                .start();
        agent.client().fanout(SchedulerApi.TOPIC, SchedulerApi.UPDATE_CAPACITY,
                new CapacityReport("compute-7", 8, 4096, 6, 3072, List.of("i-1"))).get(5, TimeUnit.SECONDS);

        String body = http.get().uri("/api/v1/hosts").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("\"host\":\"compute-7\"", "\"free\":{\"vcpus\":6,\"ramMb\":3072}",
                "\"fresh\":true");
    }

    @Test
    void healthAndMetricsAreExposed() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP");
        http.get().uri("/actuator/metrics/meshrpc.matchmaker.cache.age").exchange().expectStatus().isOk();
    }

    @Test
    void theNodeServesTheSchedulerTopic() {
        assertThat(matchmaker.lookup(SchedulerApi.TOPIC)).extracting(n -> n.nodeId()).containsExactly("scheduler-t");
    }
}
