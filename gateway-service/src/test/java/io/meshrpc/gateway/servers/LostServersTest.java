package io.meshrpc.gateway.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.meshrpc.fakecloud.FakeCloud;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.scheduler.Destination;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reconciliation: ACTIVE servers whose host left the fleet, or restarted without them, end in ERROR with
 * the reason, over the gateway's real HTTP API and mesh node with scripted hosts. The grace is driven by a
 * clock the test moves and by calling the sweep, so no test waits for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=gateway-lost", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "gateway.rpc-timeout=2s", "gateway.lost-host-grace=1h"})
@AutoConfigureRestTestClient
class LostServersTest {

    @TestConfiguration
    static class Directory {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RestTestClient http;

    @Autowired
    Matchmaker matchmaker;

    @Autowired
    MutableClock clock;

    @Autowired
    LostHosts lostHosts;

    private FakeCloud cloud;

    @BeforeEach
    void startCloud() {
        cloud = new FakeCloud(matchmaker);
    }

    @AfterEach
    void stopCloud() {
        cloud.close();
    }

    @Test
    void anActiveServerWhoseHostLeftTheFleetEndsInErrorOnceTheGraceHasPassed() {
        String onOne = activeOn("compute-1");
        String onTwo = activeOn("compute-2");

        cloud.stop("compute-1"); // deregisters, as a host that leaves does
        assertThat(lostHosts.sweep()).as("first seen missing").isZero();
        clock.advance(Duration.ofMinutes(59));
        assertThat(lostHosts.sweep()).as("within the grace").isZero();
        clock.advance(Duration.ofMinutes(1));

        assertThat(lostHosts.sweep()).isEqualTo(1);
        JsonNode lost = show(onOne);
        assertThat(lost.get("status").asString()).isEqualTo("ERROR");
        assertThat(lost.get("faultCode").asString()).isEqualTo("HOST_LOST");
        assertThat(lost.get("fault").asString()).startsWith("Host compute-1 left the fleet");
        assertThat(show(onTwo).get("status").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void anActiveServerWhoseHostIsMissingSaysSoInsteadOfAConfidentActive() {
        String onOne = activeOn("compute-1");
        String onTwo = activeOn("compute-2");
        lostHosts.sweep();
        assertThat(show(onOne).get("hostState").asString()).isEqualTo("LIVE");

        cloud.stop("compute-1"); // cut off: gone from the matchmaker's compute topic
        lostHosts.sweep();

        JsonNode cutOff = show(onOne);
        assertThat(cutOff.get("status").asString()).as("within the grace").isEqualTo("ACTIVE");
        assertThat(cutOff.get("hostState").asString()).isEqualTo("MISSING");
        assertThat(show(onTwo).get("hostState").asString()).isEqualTo("LIVE");
        assertThat(http.get().uri("/api/v1/servers").exchange().expectBody(String.class).returnResult()
                .getResponseBody()).contains("\"hostState\":\"MISSING\"");
        // the gateway is shared by this class's tests: leave no server behind for their sweeps
        http.delete().uri("/api/v1/servers/" + onOne).exchange().expectStatus().isNoContent();
        http.delete().uri("/api/v1/servers/" + onTwo).exchange().expectStatus().isNoContent();
    }

    @Test
    void aHostThatComesBackWithinTheGraceKeepsItsServers() {
        String id = activeOn("compute-2");
        cloud.stop("compute-1");
        cloud.stop("compute-2");
        assertThat(lostHosts.sweep()).isZero();

        ((InMemoryMatchmaker) matchmaker).register(new NodeRef("compute-2", "tcp://127.0.0.1:1"),
                Set.of(ComputeApi.TOPIC));
        clock.advance(Duration.ofHours(2));

        assertThat(lostHosts.sweep()).isZero();
        assertThat(show(id).get("status").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void anActiveServerMissingFromTheInventoryOfItsRestartedHostEndsInError() {
        String id = activeOn("compute-1");

        cloud.computes.get("compute-1").restartEmpty(clock.instant());

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "ERROR".equals(show(id).get("status").asString()));
        JsonNode server = show(id);
        assertThat(server.get("faultCode").asString()).isEqualTo("HOST_RESTARTED");
        assertThat(server.get("fault").asString()).startsWith("Host compute-1 restarted without it");
    }

    /** Boots a server that ends ACTIVE on {@code host}. */
    private String activeOn(String host) {
        cloud.scheduler.behaviour = request -> new Destination(host, 1, 1024);
        String id = JSON.readTree(http.post().uri("/api/v1/servers").contentType(MediaType.APPLICATION_JSON)
                .body("{\"name\":\"on-" + host + "\",\"vcpus\":1,\"ramMb\":512}").exchange().expectStatus().isAccepted()
                .expectBody(String.class).returnResult().getResponseBody()).get("id").asString();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "ACTIVE".equals(show(id).get("status").asString()));
        return id;
    }

    private JsonNode show(String id) {
        return JSON.readTree(http.get().uri("/api/v1/servers/" + id).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
