package io.meshrpc.gateway.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.meshrpc.fakecloud.FakeCloud;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.services.compute.ConsoleEndpoint;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The servers API over HTTP, with the gateway's real mesh node talking to real nodes around it
 * (scripted scheduler, hosts and consoleauth) over loopback ZeroMQ.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=gateway-t", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "gateway.rpc-timeout=1s", "gateway.describe-timeout=500ms",
                "gateway.console-base-url=http://console.example/vnc"})
@AutoConfigureRestTestClient
class ServersApiTest {

    @TestConfiguration
    static class Directory {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RestTestClient http;

    @Autowired
    Matchmaker matchmaker;

    private FakeCloud cloud;

    @BeforeEach
    void startCloud() {
        cloud = new FakeCloud(matchmaker);
    }

    @AfterEach
    void stopCloud() {
        cloud.close();
    }

    private RestTestClient.ResponseSpec boot(String json) {
        return http.post().uri("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    private JsonNode json(RestTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }

    private String bootOk(String name) {
        JsonNode accepted = json(boot("{\"name\":\"" + name + "\",\"vcpus\":1,\"ramMb\":512}")
                .expectStatus().isAccepted());
        return accepted.get("id").asString();
    }

    private JsonNode show(String id) {
        return json(http.get().uri("/api/v1/servers/" + id).exchange().expectStatus().isOk());
    }

    private void awaitStatus(String id, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status.equals(show(id).get("status").asString()));
    }

    @Test
    void bootingAnswers202BuildingAndTheServerTurnsActiveOnTheChosenHost() {
        JsonNode accepted = json(boot("{\"name\":\"vm1\",\"vcpus\":2,\"ramMb\":1024}").expectStatus().isAccepted()
                .expectHeader().valueMatches("Location", "/api/v1/servers/[0-9a-f-]{36}"));

        assertThat(accepted.get("status").asString()).isEqualTo("BUILDING");
        String id = accepted.get("id").asString();
        awaitStatus(id, "ACTIVE");
        assertThat(show(id).get("host").asString()).isEqualTo("compute-1");
        assertThat(cloud.scheduler.requests).anySatisfy(r -> {
            assertThat(r.instanceId()).isEqualTo(id);
            assertThat(r.vcpus()).isEqualTo(2);
            assertThat(r.ramMb()).isEqualTo(1024);
        });
    }

    @Test
    void theListShowsBootedServersWithTheirHosts() {
        String id = bootOk("listed");
        awaitStatus(id, "ACTIVE");

        JsonNode list = json(http.get().uri("/api/v1/servers").exchange().expectStatus().isOk());

        assertThat(list.get("count").asInt()).isEqualTo(list.get("servers").size());
        assertThat(list.get("servers").valueStream().filter(s -> s.get("id").asString().equals(id)))
                .singleElement().satisfies(s -> assertThat(s.get("host").asString()).isEqualTo("compute-1"));
    }

    @Test
    void aMissingOrOutOfRangeFieldIsA400ProblemNamingEveryField() {
        JsonNode problem = json(boot("{\"vcpus\":0,\"ramMb\":512}").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.get("field").asString()).isEqualTo("name");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactly("name", "vcpus");
        assertThat(problem.get("detail").asString()).isEqualTo(
                "name: name is required; vcpus: vcpus must be 1..64, was 0");
        assertThat(cloud.scheduler.requests).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsA400NamingThatField() {
        JsonNode problem = json(boot("{\"name\":\"vm\",\"vcpus\":\"two\",\"ramMb\":512}").expectStatus().isBadRequest());

        assertThat(problem.get("field").asString()).isEqualTo("vcpus");
    }

    @Test
    void malformedJsonIsA400AboutTheBody() {
        JsonNode problem = json(boot("{\"name\":").expectStatus().isBadRequest());

        assertThat(problem.get("field").asString()).isEqualTo("body");
        assertThat(problem.get("detail").asString()).startsWith("The request body is not valid JSON");
    }

    @Test
    void whenNoHostFitsTheAnswerIs503WithTheSchedulersReasonAndNothingIsKept() {
        cloud.scheduler.behaviour = r -> {
            throw new io.meshrpc.services.scheduler.NoValidHostException("No valid host for instance "
                    + r.instanceId() + ": 5 hosts known, 5 without room");
        };
        int before = json(http.get().uri("/api/v1/servers").exchange()).get("count").asInt();

        JsonNode problem = json(boot("{\"name\":\"huge\",\"vcpus\":64,\"ramMb\":262144}")
                .expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1"));

        assertThat(problem.get("title").asString()).isEqualTo("No valid host");
        assertThat(problem.get("detail").asString()).endsWith("5 hosts known, 5 without room");
        assertThat(problem.get("service").asString()).isEqualTo("scheduler");
        assertThat(json(http.get().uri("/api/v1/servers").exchange()).get("count").asInt()).isEqualTo(before);
    }

    @Test
    void aSchedulerThatDoesNotAnswerInTimeIsA504NotAHang() {
        cloud.schedulerHangs();

        JsonNode problem = json(boot("{\"name\":\"slow\",\"vcpus\":1,\"ramMb\":512}").expectStatus().isEqualTo(504));

        assertThat(problem.get("title").asString()).isEqualTo("Gateway timeout");
        assertThat(problem.get("detail").asString()).contains("scheduler", "select_destination");
    }

    @Test
    void withNoSchedulerRunningTheAnswerIs503() {
        cloud.stop("scheduler-1");

        JsonNode problem = json(boot("{\"name\":\"alone\",\"vcpus\":1,\"ramMb\":512}").expectStatus().isEqualTo(503));

        assertThat(problem.get("title").asString()).isEqualTo("Service unavailable");
        assertThat(problem.get("detail").asString()).contains("NO_NODES");
    }

    @Test
    void aHostWithoutRoomMakesTheGatewayScheduleTheServerAgainElsewhere() {
        cloud.computes.get("compute-1").mode = FakeCloud.Mode.REFUSE;

        String id = bootOk("rescheduled");

        awaitStatus(id, "ACTIVE");
        assertThat(show(id).get("host").asString()).isEqualTo("compute-2");
        assertThat(show(id).get("attempts").asInt()).isEqualTo(2);
        assertThat(cloud.scheduler.requests).filteredOn(r -> r.instanceId().equals(id)).last()
                .satisfies(r -> assertThat(r.excludedHosts()).containsExactly("compute-1"));
    }

    @Test
    void whenEveryHostRefusesTheServerEndsInErrorWithTheReason() {
        cloud.computes.values().forEach(c -> c.mode = FakeCloud.Mode.REFUSE);

        String id = bootOk("doomed");

        awaitStatus(id, "ERROR");
        assertThat(show(id).get("fault").asString()).isEqualTo("Host compute-2 is full; then no other host took it:"
                + " No valid host for instance " + id + ": every host was tried");
        assertThat(show(id).get("faultCode").asString()).isEqualTo("HOST_REFUSED");
    }

    @Test
    void showingABuildingServerAsksItsHostSoALostEventDoesNotLeaveItBuilding() {
        cloud.computes.get("compute-1").mode = FakeCloud.Mode.STAY_BUILDING;
        String id = bootOk("quiet");
        assertThat(show(id).get("status").asString()).isEqualTo("BUILDING");

        cloud.computes.get("compute-1").activateQuietly(id);

        assertThat(show(id).get("status").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void theConsoleOfAnActiveServerIsATokenFromConsoleauthForTheConsoleOnItsHost() {
        String id = bootOk("console");
        awaitStatus(id, "ACTIVE");

        JsonNode console = json(http.post().uri("/api/v1/servers/" + id + "/console").exchange().expectStatus().isOk());

        assertThat(console.get("token").asString()).isEqualTo("tok-" + id);
        assertThat(console.get("url").asString()).isEqualTo("http://console.example/vnc?token=tok-" + id);
        assertThat(cloud.consoleauth.issued).containsEntry("tok-" + id,
                new ConsoleEndpoint(id, "compute-1", "vnc", 5900));
    }

    @Test
    void theConsoleOfABuildingServerIsA409() {
        cloud.computes.get("compute-1").mode = FakeCloud.Mode.STAY_BUILDING;
        String id = bootOk("early");

        JsonNode problem = json(http.post().uri("/api/v1/servers/" + id + "/console").exchange()
                .expectStatus().isEqualTo(409));

        assertThat(problem.get("detail").asString()).isEqualTo("Server " + id
                + " is BUILDING; a console opens once it is ACTIVE");
    }

    @Test
    void deletingCastsTheDeleteToTheHostAndForgetsTheServer() {
        String id = bootOk("short-lived");
        awaitStatus(id, "ACTIVE");

        http.delete().uri("/api/v1/servers/" + id).exchange().expectStatus().isNoContent();

        assertThat(cloud.computes.get("compute-1").deleted).contains(id);
        http.get().uri("/api/v1/servers/" + id).exchange().expectStatus().isNotFound();
    }

    @Test
    void anUnknownServerIsA404ProblemNamingTheId() {
        for (RestTestClient.ResponseSpec response : new RestTestClient.ResponseSpec[] {
                http.get().uri("/api/v1/servers/nope").exchange(),
                http.delete().uri("/api/v1/servers/nope").exchange(),
                http.post().uri("/api/v1/servers/nope/console").exchange()}) {
            JsonNode problem = json(response.expectStatus().isNotFound());
            assertThat(problem.get("field").asString()).isEqualTo("id");
            assertThat(problem.get("detail").asString()).isEqualTo("No server with id 'nope'");
        }
    }

    @Test
    void healthAndMeshMetricsAreExposed() {
        bootOk("metered");
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        JsonNode sent = json(http.get().uri("/actuator/metrics/meshrpc.messages.sent?tag=transport:zmq").exchange()
                .expectStatus().isOk());
        assertThat(sent.get("measurements").get(0).get("value").asDouble()).isPositive();
    }
}
