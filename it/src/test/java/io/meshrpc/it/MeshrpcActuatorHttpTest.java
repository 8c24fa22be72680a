package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A meshrpc application with a web server, as the services run, against the real
 * matchmaker-service: {@code /actuator/health/readiness} and {@code /actuator/meshrpc} over HTTP.
 */
class MeshrpcActuatorHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ConfigurableApplicationContext> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @RpcEndpoint(topic = "echo")
    static class Echo {
        public String echo(String text) {
            return "echo:" + text;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class NodeApp {
        @Bean
        Echo echo() {
            return new Echo();
        }
    }

    private ConfigurableApplicationContext matchmaker(int port) {
        ConfigurableApplicationContext service = new SpringApplicationBuilder(MatchmakerApplication.class)
                .run("--server.port=" + port, "--meshrpc.enabled=false", "--spring.main.banner-mode=off",
                        "--meshrpc.matchmaker.sweep-interval=200ms");
        open.add(service);
        return service;
    }

    /** A node with the defaults a service has: probes on, the meshrpc endpoint exposed, nothing else. */
    private int node(String nodeId, int matchmakerPort) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(NodeApp.class)
                .run("--server.port=0", "--spring.main.banner-mode=off", "--meshrpc.node-id=" + nodeId,
                        "--meshrpc.zmq.port=0", "--meshrpc.zmq.bind-host=127.0.0.1", "--meshrpc.matchmaker.type=rest",
                        "--meshrpc.matchmaker.url=http://127.0.0.1:" + matchmakerPort,
                        "--meshrpc.matchmaker.ttl=3s",
                        "--management.endpoints.web.exposure.include=health,meshrpc",
                        "--management.endpoint.health.probes.enabled=true");
        open.add(app);
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(int port, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void readinessIsOutOfServiceUntilTheMatchmakerTakesTheRegistration() throws Exception {
        int matchmakerPort = freePort();
        int port = node("web-1", matchmakerPort);

        HttpResponse<String> notYet = get(port, "/actuator/health/readiness");
        assertThat(notYet.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(notYet.body()).path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(get(port, "/actuator/health/liveness").statusCode()).as("liveness unaffected").isEqualTo(200);
        JsonNode before = JSON.readTree(get(port, "/actuator/meshrpc").body());
        assertThat(before.path("state").asString()).isEqualTo("registering");
        assertThat(before.path("matchmaker").path("registered").asBoolean()).isFalse();
        assertThat(before.path("matchmaker").path("cacheAgeMillis").isNull()).as("no view yet").isTrue();

        matchmaker(matchmakerPort);

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get(port, "/actuator/health/readiness").statusCode() == 200);
        JsonNode after = JSON.readTree(get(port, "/actuator/meshrpc").body());
        assertThat(after.path("state").asString()).isEqualTo("running");
        assertThat(after.path("matchmaker").path("registered").asBoolean()).isTrue();
        assertThat(after.path("matchmaker").path("type").asString()).isEqualTo("RestMatchmaker");
        Awaitility.await().until(() -> JSON.readTree(get(port, "/actuator/meshrpc").body())
                .path("matchmaker").path("cacheAgeMillis").isNumber());
    }

    @Test
    void readinessGoesOutOfServiceWhenTheRegistrationLapsesAndUpOnceTheMatchmakerTakesItAgain() throws Exception {
        int matchmakerPort = freePort();
        ConfigurableApplicationContext service = matchmaker(matchmakerPort);
        int port = node("web-1", matchmakerPort);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get(port, "/actuator/health/readiness").statusCode() == 200);

        service.close(); // the node is cut off from the matchmaker: no heartbeat is accepted any more

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get(port, "/actuator/health/readiness").statusCode() == 503);
        JsonNode readiness = JSON.readTree(get(port, "/actuator/health/readiness").body());
        assertThat(readiness.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        JsonNode cutOff = JSON.readTree(get(port, "/actuator/meshrpc").body());
        assertThat(cutOff.path("state").asString()).isEqualTo("detached");
        assertThat(cutOff.path("stateReason").asString()).contains("within its TTL");
        assertThat(cutOff.path("matchmaker").path("registered").asBoolean()).isFalse();
        assertThat(get(port, "/actuator/health/liveness").statusCode()).as("liveness unaffected").isEqualTo(200);

        matchmaker(matchmakerPort);

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get(port, "/actuator/health/readiness").statusCode() == 200);
        assertThat(JSON.readTree(get(port, "/actuator/meshrpc").body()).path("stateReason").isNull()).isTrue();
    }

    @Test
    void endpointOverHttpListsPeersAndItsPolicyWritesStillWork() throws Exception {
        ConfigurableApplicationContext service = matchmaker(0);
        int matchmakerPort = ((WebServerApplicationContext) service).getWebServer().getPort();
        node("web-1", matchmakerPort);
        int port = node("web-2", matchmakerPort);
        ConfigurableApplicationContext caller = open.get(open.size() - 1);
        Awaitility.await().until(() -> get(port, "/actuator/health/readiness").statusCode() == 200);
        RpcClient client = caller.getBean(RpcClient.class);
        Awaitility.await().until(() -> client.call(Target.topic("echo").server("web-1"), "echo", "hi", String.class,
                Duration.ofSeconds(5)).handle((r, e) -> "echo:hi".equals(r)).get(10, TimeUnit.SECONDS));

        HttpResponse<String> set = send(port, "POST", "/actuator/meshrpc/nodes/web-1", "{\"policy\":\"zmq\"}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).path("policy").asString()).isEqualTo("zmq");
        HttpResponse<String> report = get(port, "/actuator/meshrpc");
        System.out.println("GET /actuator/meshrpc\n" + JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(JSON.readTree(report.body())));

        JsonNode json = JSON.readTree(report.body());
        JsonNode peer = json.path("peers").path(0);
        assertThat(peer.path("nodeId").asString()).isEqualTo("web-1");
        assertThat(peer.path("state").asString()).isEqualTo("up");
        assertThat(peer.path("lastAck").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.path("policies").path("overrides").path("nodes").path("web-1").asString()).isEqualTo("zmq");
        assertThat(json.path("policies").path("servedTopics").path("echo").path("source").asString())
                .isEqualTo("meshrpc.routing.default-policy");
        assertThat(json.path("dedup").path("capacity").asInt()).isPositive();
        assertThat(json.path("matchmaker").path("cacheAgeMillis").isNumber()).isTrue();

        assertThat(send(port, "DELETE", "/actuator/meshrpc/nodes/web-1", null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get(port, "/actuator/meshrpc").body()).path("policies").path("overrides")
                .path("nodes").has("web-1")).isFalse();
        assertThat(send(port, "POST", "/actuator/meshrpc/topics/echo", "{\"policy\":\"fast\"}").statusCode())
                .isEqualTo(400);
    }
}
