package io.meshrpc.gateway.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.gateway.InstanceEvent;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.NoValidHostException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the gateway copes with hosts that fail a build, over its real HTTP API and mesh node, with
 * scripted hosts around it. The build deadline is driven by a clock the test moves and by calling
 * the sweep, so no test waits for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=gateway-retry", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "gateway.rpc-timeout=2s", "gateway.describe-timeout=500ms", "gateway.build-timeout=1h"})
@AutoConfigureRestTestClient
class BuildRetryTest {

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
    BuildDeadlines deadlines;

    @Autowired
    ServerService servers;

    private FakeCloud cloud;
    private final List<ServerSocket> blackHoles = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCloud() {
        cloud = new FakeCloud(matchmaker);
    }

    @AfterEach
    void stopCloud() throws IOException {
        cloud.close();
        for (ServerSocket s : blackHoles) {
            s.close();
        }
    }

    /** Hosts are tried in this order, never one the request excludes. */
    private void schedulerPrefers(String... hosts) {
        cloud.scheduler.behaviour = request -> List.of(hosts).stream()
                .filter(h -> !request.excludedHosts().contains(h)).findFirst()
                .map(h -> new Destination(h, 1, 1024))
                .orElseThrow(() -> new NoValidHostException("No valid host for instance " + request.instanceId()
                        + ": every host was tried"));
    }

    /**
     * A compute host that is registered (it reported capacity, as far as anyone can tell) but whose port
     * accepts TCP connections and never says a word: no handshake, no ACK.
     */
    private void registerSilentHost(String host) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        blackHoles.add(socket);
        Thread acceptor = new Thread(() -> {
            List<Socket> held = new CopyOnWriteArrayList<>();
            while (!socket.isClosed()) {
                try {
                    held.add(socket.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "black-hole-" + host);
        acceptor.setDaemon(true);
        acceptor.start();
        ((InMemoryMatchmaker) matchmaker).register(new NodeRef(host, "tcp://127.0.0.1:" + socket.getLocalPort()),
                Set.of(ComputeApi.TOPIC));
    }

    private JsonNode json(RestTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }

    private JsonNode boot(String name) {
        return json(http.post().uri("/api/v1/servers").contentType(MediaType.APPLICATION_JSON)
                .body("{\"name\":\"" + name + "\",\"vcpus\":1,\"ramMb\":512}").exchange().expectStatus().isAccepted());
    }

    private JsonNode show(String id) {
        return json(http.get().uri("/api/v1/servers/" + id).exchange().expectStatus().isOk());
    }

    private JsonNode awaitStatus(String id, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status.equals(show(id).get("status").asString()));
        return show(id);
    }

    /** Moves past the build deadline and runs the sweep, as its timer would. */
    private void passTheBuildDeadline() {
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        deadlines.sweep();
    }

    @Test
    void bootRetriesOnAnotherHostWhenTheFirstRefuses() {
        cloud.computes.get("compute-1").mode = FakeCloud.Mode.REFUSE;

        String id = boot("refused-once").get("id").asString();

        JsonNode server = awaitStatus(id, "ACTIVE");
        assertThat(server.get("host").asString()).isEqualTo("compute-2");
        assertThat(server.get("attempts").asInt()).isEqualTo(2);
        assertThat(server.get("triedHosts").valueStream().map(JsonNode::asString)).containsExactly("compute-1");
    }

    @Test
    void bootRetriesOnAnotherHostWhenTheFirstNeverAcknowledgesTheBuild() throws IOException {
        registerSilentHost("compute-silent");
        schedulerPrefers("compute-silent", "compute-1");

        JsonNode accepted = boot("unacknowledged");

        assertThat(accepted.get("host").asString()).isEqualTo("compute-1");
        JsonNode server = awaitStatus(accepted.get("id").asString(), "ACTIVE");
        assertThat(server.get("attempts").asInt()).isEqualTo(2);
        assertThat(server.get("triedHosts").valueStream().map(JsonNode::asString)).containsExactly("compute-silent");
    }

    @Test
    void whenNoHostAcknowledgesTheBuildTheBootIsRefusedAndNothingIsKept() throws IOException {
        registerSilentHost("compute-silent");
        schedulerPrefers("compute-silent");

        JsonNode problem = json(http.post().uri("/api/v1/servers").contentType(MediaType.APPLICATION_JSON)
                .body("{\"name\":\"nowhere\",\"vcpus\":1,\"ramMb\":512}").exchange().expectStatus().is5xxServerError());

        assertThat(problem.get("title").asString()).isEqualTo("No valid host");
        assertThat(json(http.get().uri("/api/v1/servers").exchange()).get("servers").valueStream()
                .map(s -> s.get("name").asString())).doesNotContain("nowhere");
    }

    @Test
    void aBuildTakenButNeverAnsweredIsRescheduledAtTheDeadlineAndTheSilentHostToldToDeleteIt() {
        cloud.computes.get("compute-1").mode = FakeCloud.Mode.STAY_BUILDING;
        String id = boot("dropped").get("id").asString();
        assertThat(deadlines.sweep()).isZero();
        assertThat(show(id).get("status").asString()).isEqualTo("BUILDING");

        passTheBuildDeadline();

        JsonNode server = awaitStatus(id, "ACTIVE");
        assertThat(server.get("host").asString()).isEqualTo("compute-2");
        assertThat(server.get("attempts").asInt()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cloud.computes.get("compute-1").deleted.contains(id));
    }

    @Test
    void aBuildNoHostAnswersEndsInErrorWithTheTimeoutAsReason() {
        cloud.computes.values().forEach(c -> c.mode = FakeCloud.Mode.STAY_BUILDING);
        String id = boot("unanswered").get("id").asString();

        passTheBuildDeadline(); // compute-1 silent: on to compute-2
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "compute-2".equals(show(id).path("host").asString()));
        passTheBuildDeadline(); // compute-2 silent too, and no third host

        JsonNode server = awaitStatus(id, "ERROR");
        assertThat(server.get("faultCode").asString()).isEqualTo("BUILD_TIMEOUT");
        assertThat(server.get("fault").asString())
                .startsWith("Host compute-2 took the build but did not finish it within 3600 s; then no other host"
                        + " took it: No valid host for instance " + id)
                .endsWith("every host was tried");
        assertThat(server.get("triedHosts").valueStream().map(JsonNode::asString))
                .containsExactly("compute-1", "compute-2");
    }

    @Test
    void whenEveryAttemptIsUsedTheServerIsInErrorNamingTheLastHostsReason() {
        cloud.scheduler.behaviour = request -> new Destination("compute-" + (request.excludedHosts().size() % 2 + 1), 1,
                1024); // a scheduler that ignores exclusions would loop for ever; attempts stop it
        cloud.computes.values().forEach(c -> c.mode = FakeCloud.Mode.REFUSE);

        String id = boot("unlucky").get("id").asString();

        JsonNode server = awaitStatus(id, "ERROR");
        assertThat(server.get("faultCode").asString()).isEqualTo("HOST_REFUSED");
        assertThat(server.get("attempts").asInt()).isEqualTo(3);
        assertThat(server.get("fault").asString()).isEqualTo("Host compute-1 is full (3 of 3 attempts used)");
    }

    @Test
    void anActiveEventFromAHostTheServerWasTakenFromIsIgnored() {
        cloud.computes.values().forEach(c -> c.mode = FakeCloud.Mode.STAY_BUILDING);
        String id = boot("late").get("id").asString();
        passTheBuildDeadline();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "compute-2".equals(show(id).path("host").asString()));

        servers.onEvent(InstanceEvent.of(id, "compute-1", InstanceStatus.ACTIVE)); // compute-1 finished after all

        assertThat(show(id).get("status").asString()).isEqualTo("BUILDING");
        assertThat(show(id).get("host").asString()).isEqualTo("compute-2");
    }
}
