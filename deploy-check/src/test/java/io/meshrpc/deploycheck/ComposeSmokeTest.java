package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code docker compose up} for real: the repository's compose file, built and started by Docker Compose
 * on host ports of its own, scaled to three agents, booting instances through the gateway, switching the
 * compute policy to the broker, and losing an agent. Skipped, with the reason, where there is no Docker
 * engine, no Compose, or no base image and no registry to pull one from ({@code .ci/run} prepares them).
 * The project is always taken down with its volumes; the command log and the containers' logs are kept
 * in {@code deploy-check/target/compose-smoke.log}.
 */
class ComposeSmokeTest {

    private static final Duration START = Duration.ofMinutes(6);
    private static final Duration STEP = Duration.ofSeconds(90);
    private static final String TOKEN = "meshrpc-demo-token"; // the compose file's default write token
    private static final Pattern SENT = Pattern.compile(
            "(?m)^meshrpc_messages_sent_total\\{([^}]*)}\\s+([0-9.eE+-]+)$");
    private static final Map<String, String> IMAGES = Map.of(
            "MESHRPC_JDK_IMAGE", "eclipse-temurin:17-jdk-noble", "MESHRPC_JRE_IMAGE", "eclipse-temurin:17-jre-noble",
            "MESHRPC_RABBITMQ_IMAGE", "rabbitmq:4-management", "MESHRPC_REDIS_IMAGE", "redis:7-alpine");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void composeClusterScalesBootsOnEveryAgentSwitchesTransportsAndSurvivesALostAgent() throws Exception {
        String docker = ComposeProject.dockerOnPath().orElse(null);
        Assumptions.assumeTrue(docker != null, "no docker on the PATH: the compose cluster was not run");
        Path log = Repo.ROOT.resolve("deploy-check/target/compose-smoke.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        try (ComposeProject project = new ComposeProject(docker, log)) {
            assumeEngineComposeAndImages(project);

            assertThat(project.compose(START, "up", "-d", "--build", "--wait", "--wait-timeout", "300").ok())
                    .as("docker compose up -d --build --wait (see " + log + ")").isTrue();
            assertThat(project.compose(STEP, "up", "-d", "--no-build", "--no-recreate", "--scale", "compute-agent=3",
                    "--wait", "--wait-timeout", "80").ok()).as("scale to 3 agents (see " + log + ")").isTrue();
            List<String> agents = project.containers("compute-agent");
            assertThat(agents).as("agent containers").hasSize(3);
            Set<String> agentIds = new HashSet<>();
            agents.forEach(id -> agentIds.add(id.substring(0, 12))); // an agent's node id is its container host name
            awaitSchedulersKnow(project, agentIds);

            // nine boots land on all three agents
            Map<String, String> placed = bootAndAwaitActive(project, 9, "zmq");
            assertThat(new HashSet<>(placed.values())).as("hosts of 9 instances").isEqualTo(agentIds);

            // the compute policy set to amqp in the matchmaker: builds travel through the broker
            put(url(project, "MESHRPC_MATCHMAKER_PORT", "/api/v1/policies/topics/compute"), "{\"policy\":\"amqp\"}");
            await("a build sent through the broker", () -> {
                bootAndAwaitActive(project, 1, "amqp");
                return sent(project, "amqp", "compute") > 0;
            });
            assertThat(sent(project, "zmq", "compute")).as("builds sent over ZeroMQ before the switch").isPositive();
            put(url(project, "MESHRPC_MATCHMAKER_PORT", "/api/v1/policies/topics/compute"), "{\"policy\":\"zmq-first\"}");

            // one agent's JVM dies: the schedulers forget it, new boots avoid it, its instances end in ERROR
            String lost = placed.values().iterator().next();
            String container = agents.stream().filter(id -> id.startsWith(lost)).findFirst().orElseThrow();
            assertThat(project.docker(STEP, "kill", container).ok()).as("docker kill " + container).isTrue();
            Set<String> survivors = new HashSet<>(agentIds);
            survivors.remove(lost);
            awaitSchedulersKnow(project, survivors);
            Map<String, String> after = bootAndAwaitActive(project, 4, "after");
            assertThat(after.values()).as("hosts of boots after " + lost + " died").doesNotContain(lost);
            List<String> orphans = placed.entrySet().stream().filter(e -> e.getValue().equals(lost))
                    .map(Map.Entry::getKey).toList();
            await("the instances of " + lost + " in ERROR", () -> orphans.stream()
                    .allMatch(id -> "ERROR".equals(server(project, id).path("status").asText())));
        }
    }

    private void assumeEngineComposeAndImages(ComposeProject project) {
        Assumptions.assumeTrue(project.docker(Duration.ofSeconds(30), "info").ok(),
                "the Docker engine does not answer (docker info failed): the compose cluster was not run");
        Assumptions.assumeTrue(project.compose(Duration.ofSeconds(30), "version").ok(),
                "Docker Compose v2 is not installed (docker compose version failed): the compose cluster was not run");
        IMAGES.forEach((setting, publicName) -> {
            String image = System.getenv().getOrDefault(setting, publicName);
            boolean here = project.docker(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Id}}", image).ok()
                    || project.docker(Duration.ofMinutes(2), "pull", image).ok();
            Assumptions.assumeTrue(here, "image " + image + " (" + setting + ") is not on this machine and cannot be "
                    + "pulled; build stand-ins with offline-images and export its --env output (docs/deploy.md)");
        });
    }

    /** Boots {@code count} instances through the gateway and waits until each is ACTIVE; instance id to host. */
    private Map<String, String> bootAndAwaitActive(ComposeProject project, int count, String label) throws IOException,
            InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(url(project, "MESHRPC_GATEWAY_PORT",
                    "/api/v1/servers")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                    .ofString("{\"name\":\"smoke-" + label + "-" + i + "\",\"vcpus\":1,\"ramMb\":512}")).build());
            assertThat(created.statusCode()).as("POST /api/v1/servers: " + created.body()).isEqualTo(202);
            ids.add(json.readTree(created.body()).path("id").asText());
        }
        Map<String, String> hosts = new LinkedHashMap<>();
        await(count + " instances ACTIVE", () -> {
            for (String id : ids) {
                JsonNode server = server(project, id);
                assertThat(server.path("status").asText()).as("instance " + id + ": " + server).isNotEqualTo("ERROR");
                if ("ACTIVE".equals(server.path("status").asText())) {
                    hosts.put(id, server.path("host").asText());
                }
            }
            return hosts.size() == ids.size();
        });
        return hosts;
    }

    private void awaitSchedulersKnow(ComposeProject project, Set<String> agents) {
        for (String scheduler : List.of("MESHRPC_SCHEDULER1_PORT", "MESHRPC_SCHEDULER2_PORT")) {
            await(scheduler + " choosing exactly " + agents, () -> {
                Set<String> fresh = new HashSet<>();
                for (JsonNode host : json.readTree(get(url(project, scheduler, "/api/v1/hosts")))) {
                    if (host.path("fresh").asBoolean()) {
                        fresh.add(host.path("host").asText());
                    }
                }
                return fresh.equals(agents);
            });
        }
    }

    /** The gateway's {@code meshrpc_messages_sent_total} with outcome ok, for one transport and topic. */
    private double sent(ComposeProject project, String transport, String topic) throws IOException,
            InterruptedException {
        double total = 0;
        Matcher m = SENT.matcher(get(url(project, "MESHRPC_GATEWAY_PORT", "/actuator/prometheus")));
        while (m.find()) {
            String tags = m.group(1);
            if (tags.contains("transport=\"" + transport + "\"") && tags.contains("topic=\"" + topic + "\"")
                    && tags.contains("outcome=\"ok\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private JsonNode server(ComposeProject project, String id) {
        try {
            return json.readTree(get(url(project, "MESHRPC_GATEWAY_PORT", "/api/v1/servers/" + id)));
        } catch (IOException | InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static URI url(ComposeProject project, String portSetting, String path) {
        return URI.create("http://127.0.0.1:" + project.port(portSetting) + path);
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).GET().build());
        assertThat(r.statusCode()).as("GET " + uri + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private void put(URI uri, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as("PUT " + uri + ": " + r.body()).isBetween(200, 299);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(request, (n, v) -> true).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls containers from outside: there is nothing to wait on but time, so it checks every half second. */
    private static void await(String what, Check check) {
        long deadline = System.nanoTime() + STEP.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
                last = null;
            } catch (AssertionError ex) {
                throw ex;
            } catch (Exception ex) {
                last = ex;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        throw new AssertionError("not within " + STEP.toSeconds() + " s: " + what, last);
    }
}
