package io.meshrpc.gateway.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import io.meshrpc.compute.ComputeAgentApplication;
import io.meshrpc.compute.hypervisor.BuildFault;
import io.meshrpc.compute.hypervisor.Hypervisor;
import io.meshrpc.gateway.GatewayApplication;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.scheduler.SchedulerApplication;
import io.meshrpc.scheduler.placement.HostStateCache;
import io.meshrpc.scheduler.placement.HostView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One of five agents is sick. The real gateway, scheduler and compute agents run as Spring Boot
 * applications in this JVM, each with its own mesh node on loopback ZeroMQ, sharing an in-memory
 * matchmaker; boots go through the gateway's REST API. The sick agent is a real agent told to
 * drop or refuse every build ({@code compute.build-fault}); it keeps reporting its capacity, and
 * it is the roomiest host, so the scheduler sends it the first boots.
 */
class SickAgentTest {

    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(4);
    private static final List<String> HEALTHY = List.of("compute-1", "compute-2", "compute-3", "compute-4");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private static final List<ConfigurableApplicationContext> cluster = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ConfigurableApplicationContext scheduler;
    private static ConfigurableApplicationContext gateway;

    /** Starts a service of the fleet as its own application; the shared matchmaker replaces the configured one. */
    private static ConfigurableApplicationContext start(Class<?> application, String nodeId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--meshrpc.node-id=" + nodeId, "--spring.application.name=" + nodeId,
                "--server.port=0", "--meshrpc.zmq.port=0", "--meshrpc.zmq.bind-host=127.0.0.1",
                // every module's application.properties is on this classpath; the gateway's wins: undo what would clash
                "--gateway.dashboard.sample-interval=1h"));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("sharedMatchmaker", Matchmaker.class,
                        () -> matchmaker))
                .run(args.toArray(String[]::new));
        cluster.add(context);
        return context;
    }

    private static ConfigurableApplicationContext agent(String name, String... extra) {
        Map<String, String> args = new TreeMap<>(Map.of("--compute.vcpus", "64", "--compute.ram-mb", "65536",
                "--compute.build-time", "50ms", "--compute.report-interval", "500ms"));
        for (String arg : extra) {
            args.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1)); // extras win
        }
        return start(ComputeAgentApplication.class, name,
                args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    @BeforeAll
    static void startFleet() {
        // agents report every 500 ms; an agent a previous test closed is forgotten within 2 s
        scheduler = start(SchedulerApplication.class, "scheduler-1", "--scheduler.host-ttl=2s");
        gateway = start(GatewayApplication.class, "gateway-1", "--gateway.build-timeout=" + BUILD_TIMEOUT.toMillis() + "ms",
                "--gateway.rpc-timeout=3s", "--gateway.max-schedule-attempts=3");
        HEALTHY.forEach(SickAgentTest::agent);
    }

    @AfterAll
    static void stopFleet() {
        for (int i = cluster.size() - 1; i >= 0; i--) {
            cluster.get(i).close();
        }
    }

    private static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static void awaitSchedulerKnows(String host) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.getBean(HostStateCache.class).hosts()
                .stream().map(HostView::host).collect(Collectors.toSet()).contains(host));
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode boot(ConfigurableApplicationContext via, String name) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl(via) + "/api/v1/servers"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"vcpus\":1,\"ramMb\":256}"))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body());
    }

    private static JsonNode show(ConfigurableApplicationContext via, String id) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(baseUrl(via) + "/api/v1/servers/" + id)).build())
                .body());
    }

    @ParameterizedTest(name = "sick agent: {0}")
    @EnumSource(value = BuildFault.class, names = {"DROP", "REFUSE"})
    void fiftyBootsAllEndActiveOnHealthyAgentsEachAfterAtMostOneRetry(BuildFault fault) throws Exception {
        String sick = "sick-" + fault.name().toLowerCase();
        // twice the RAM of a healthy agent: the roomiest host, so the scheduler picks it first
        ConfigurableApplicationContext sickAgent = agent(sick, "--compute.build-fault=" + fault,
                "--compute.ram-mb=262144");
        Set<String> fleet = new java.util.TreeSet<>(HEALTHY);
        fleet.add(sick);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.getBean(HostStateCache.class).hosts()
                .stream().map(HostView::host).collect(Collectors.toCollection(java.util.TreeSet::new)).equals(fleet));
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                ids.add(boot(gateway, fault + "-" + i).get("id").asString());
            }

            Map<String, JsonNode> settled = new TreeMap<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                for (String id : ids) {
                    JsonNode server = show(gateway, id);
                    if (!"BUILDING".equals(server.path("status").asString())) {
                        settled.put(id, server);
                    }
                }
                return settled.size() == ids.size();
            });

            assertThat(settled.values()).allSatisfy(server -> {
                assertThat(server.path("status").asString()).as(server.toString()).isEqualTo("ACTIVE");
                assertThat(server.path("host").asString()).isIn(HEALTHY);
                assertThat(server.path("attempts").asInt()).isBetween(1, 2);
            });
            List<JsonNode> retried = settled.values().stream().filter(s -> s.path("attempts").asInt() == 2).toList();
            assertThat(retried).as("boots the sick agent got first").isNotEmpty().allSatisfy(s ->
                    assertThat(s.path("triedHosts").valueStream().map(JsonNode::asString)).containsExactly(sick));
            assertThat(sickAgent.getBean(Hypervisor.class).view().instances()).isEmpty();
        } finally {
            sickAgent.close();
        }
    }

    @Test
    void aBuildOnAnAgentThatDiesMidBuildEndsInErrorWithTheReasonWithinTheBuildDeadline() throws Exception {
        // a gateway that gives each server one host, so the dead agent's build is not simply rescheduled
        ConfigurableApplicationContext strictGateway = start(GatewayApplication.class, "gateway-strict",
                "--gateway.build-timeout=" + BUILD_TIMEOUT.toMillis() + "ms", "--gateway.max-schedule-attempts=1");
        // roomiest (chosen first) and slow (still building when it dies)
        ConfigurableApplicationContext dying = agent("dying-1", "--compute.ram-mb=1048576", "--compute.build-time=1h");
        awaitSchedulerKnows("dying-1");

        JsonNode accepted = boot(strictGateway, "doomed");
        String id = accepted.get("id").asString();
        assertThat(accepted.get("host").asString()).isEqualTo("dying-1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> dying.getBean(Hypervisor.class).find(id).isPresent());
        dying.close(); // the agent dies with the build taken and unfinished

        Awaitility.await().atMost(BUILD_TIMEOUT.multipliedBy(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> "ERROR".equals(show(strictGateway, id).path("status").asString()));
        JsonNode server = show(strictGateway, id);
        assertThat(server.path("faultCode").asString()).isEqualTo("BUILD_TIMEOUT");
        assertThat(server.path("fault").asString()).isEqualTo("Host dying-1 took the build but did not finish it within "
                + BUILD_TIMEOUT.toSeconds() + " s (1 of 1 attempts used)");
        assertThat(server.path("host").asString()).isEqualTo("dying-1");
        assertThat(Set.of(server.path("status").asString())).containsExactly("ERROR");
    }
}
