package io.meshrpc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.meshrpc.launcher.cluster.AgentSickness;
import io.meshrpc.launcher.cluster.Cluster;
import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.http.Http;
import io.meshrpc.launcher.ops.LoadRunner;
import io.meshrpc.launcher.ops.TransportCounts;
import io.meshrpc.launcher.ops.TransportMeter;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.consoleauth.TokenCheck;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo cluster as real processes, started by the launcher's own code (as {@code bin/demo up}
 * does): embedded Qpid Broker-J, matchmaker, two schedulers, consoleauth, gateway, five agents.
 * Everything goes through public interfaces: the gateway's REST API, the agents' and schedulers'
 * read-only views, the matchmaker's policy API, the actuator meters, and {@code check_token} over
 * the mesh from a node of the test's own. The cluster is the run's {@link SharedDemoCluster}, which
 * {@code DashboardBrowserTest} uses after this class.
 *
 * <p>It needs the services' runnable jars: this module depends on them (classifier {@code exec},
 * test scope), so {@code ./mvnw verify} packages them before this test runs. The tests share one
 * cluster and run in order; the last one kills an agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedDemoCluster.class)
@Order(1) // before DashboardBrowserTest on the same cluster (junit-platform.properties orders classes by @Order)
class DemoClusterEndToEndTest {

    private final Http http = new Http(Duration.ofSeconds(10));
    private final LoadRunner load = new LoadRunner();
    private final TransportMeter meter = new TransportMeter();
    private final Map<String, JsonNode> booted = new HashMap<>();
    private Cluster cluster;
    private ClusterState state;
    private RestMatchmaker directory;
    private MeshNode probe;

    @BeforeAll
    void startCluster(SharedDemoCluster.Handle shared) {
        state = shared.state();
        cluster = shared.cluster();
        directory = new RestMatchmaker(state.matchmaker().baseUrl(), null, Duration.ofMillis(500),
                Duration.ofSeconds(10), JsonMapper.builder().build());
        probe = MeshNode.builder().nodeId("e2e-probe").matchmaker(lookupsOnly(directory))
                .zmq(ZmqSettings.loopback(0)).defaultTimeout(Duration.ofSeconds(10)).build().start();
    }

    /** Stops the probe; the cluster stops at the end of the run ({@link SharedDemoCluster}). */
    @AfterAll
    void stopProbe() {
        try {
            if (probe != null) {
                probe.stop();
            }
        } finally {
            if (directory != null) {
                directory.close();
            }
        }
    }

    @Test
    @Order(1)
    void aHundredInstancesBootEachOnALiveAgentWhoseCapacityAllowedIt() throws IOException {
        LoadRunner.Result small = load.boot(state, "e2e-small", 67, new LoadRunner.Flavor(1, 512), 8,
                Duration.ofSeconds(90));
        LoadRunner.Result large = load.boot(state, "e2e-large", 33, new LoadRunner.Flavor(2, 1024), 8,
                Duration.ofSeconds(90));
        booted.putAll(small.servers());
        booted.putAll(large.servers());

        assertThat(small.refusals()).isEmpty();
        assertThat(large.refusals()).isEmpty();
        assertThat(booted).hasSize(100);
        assertThat(booted.values()).allSatisfy(s -> assertThat(s.path("status").asString()).isEqualTo("ACTIVE"));

        Set<String> liveAgents = liveAgents();
        Map<String, JsonNode> hypervisors = hypervisors();
        Map<String, List<JsonNode>> byHost = booted.values().stream()
                .collect(Collectors.groupingBy(s -> s.path("host").asString()));
        assertThat(liveAgents).containsAll(byHost.keySet());
        for (Map.Entry<String, List<JsonNode>> host : byHost.entrySet()) {
            JsonNode hypervisor = hypervisors.get(host.getKey());
            Set<String> held = new java.util.HashSet<>();
            hypervisor.path("instances").forEach(i -> held.add(i.path("id").asString()));
            int vcpus = host.getValue().stream().mapToInt(s -> s.path("vcpus").asInt()).sum();
            int ramMb = host.getValue().stream().mapToInt(s -> s.path("ramMb").asInt()).sum();
            assertThat(held).as("instances on " + host.getKey())
                    .containsAll(host.getValue().stream().map(s -> s.path("id").asString()).toList());
            assertThat(vcpus).as("vCPUs on " + host.getKey()).isEqualTo(hypervisor.path("usedVcpus").asInt())
                    .isLessThanOrEqualTo(hypervisor.path("vcpus").asInt());
            assertThat(ramMb).as("RAM on " + host.getKey()).isEqualTo(hypervisor.path("usedRamMb").asInt())
                    .isLessThanOrEqualTo(hypervisor.path("ramMb").asInt());
        }
        assertThat(byHost).as("instances spread over the agents").hasSizeGreaterThan(1);
    }

    @Test
    @Order(2)
    void everyConsoleTokenIsOneConsoleauthAuthorizedForThatInstancesConsole() throws IOException {
        ConsoleauthApi consoleauth = probe.client().proxy(ConsoleauthApi.class);
        assertThat(booted).isNotEmpty();
        for (JsonNode server : booted.values()) {
            String id = server.path("id").asString();
            Http.Reply console = http.post(state.gateway().baseUrl() + "/api/v1/servers/" + id + "/console", null);
            assertThat(console.status()).as("console of " + id).isEqualTo(200);
            String token = console.body().path("token").asString();
            assertThat(console.body().path("url").asString()).endsWith("?token=" + token);

            TokenCheck check = consoleauth.checkToken(token);

            assertThat(check.valid()).as("token of " + id).isTrue();
            assertThat(check.console().instanceId()).isEqualTo(id);
            assertThat(check.console().host()).isEqualTo(server.path("host").asString());
        }
        assertThat(consoleauth.checkToken("not-a-token").valid()).isFalse();
    }

    @Test
    @Order(3)
    void withOneAgentOnAmqpAndTheRestOnZmqFirstTheMetersShowBothTransportsCarryingTraffic() throws IOException {
        String policies = state.matchmaker().baseUrl() + "/api/v1/policies/nodes/";
        List<ServiceProcess> agents = state.of(ServiceKind.COMPUTE);
        try {
            assertThat(http.put(policies + agents.get(0).name(), Map.of("policy", "amqp")).ok()).isTrue();
            for (ServiceProcess agent : agents.subList(1, agents.size())) {
                assertThat(http.put(policies + agent.name(), Map.of("policy", "zmq-first")).ok()).isTrue();
            }
            TransportCounts before = meter.read(state);
            List<LoadRunner.Booted> extra = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                LoadRunner.Result r = load.boot(state, "e2e-mixed", 10, new LoadRunner.Flavor(1, 256), 5,
                        Duration.ofSeconds(30));
                extra.addAll(r.accepted());
                TransportCounts during = meter.read(state).minus(before);
                return during.amqp() > 0 && during.zmq() > 0;
            });
            load.delete(state, extra);
        } finally {
            for (ServiceProcess agent : agents) {
                http.delete(policies + agent.name());
            }
        }
    }

    @Test
    @Order(4)
    void killingOneAgentLeavesTheGatewayAnsweringAndNewInstancesGoToTheOthers() throws IOException {
        String victim = "compute-3";
        Optional<JsonNode> onVictim = booted.values().stream()
                .filter(s -> victim.equals(s.path("host").asString())).findFirst();

        cluster.kill(victim);

        assertThat(http.get(state.gateway().baseUrl() + "/api/v1/servers").status()).isEqualTo(200);
        if (onVictim.isPresent()) {
            assertThat(http.get(state.gateway().baseUrl() + "/api/v1/servers/" + onVictim.get().path("id").asString())
                    .status()).isEqualTo(200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> schedulersStopChoosing(victim));

        LoadRunner.Result after = load.boot(state, "e2e-after", 10, new LoadRunner.Flavor(1, 512), 5,
                Duration.ofSeconds(60));

        assertThat(after.refusals()).isEmpty();
        assertThat(after.servers().values()).hasSize(10).allSatisfy(s -> {
            assertThat(s.path("status").asString()).isEqualTo("ACTIVE");
            assertThat(s.path("host").asString()).isNotEqualTo(victim);
        });
        // what it held is lost with it: once its registration expired and the gateway's grace passed
        if (onVictim.isPresent()) {
            String url = state.gateway().baseUrl() + "/api/v1/servers/" + onVictim.get().path("id").asString();
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "ERROR".equals(http.get(url).body().path("status").asString()));
            assertThat(http.get(url).body().path("faultCode").asString()).isEqualTo("HOST_LOST");
        }
    }

    @Test
    @Order(5)
    void anAgentThatRefusesEveryBuildCostsEachBootOneRetryOnAHealthyAgent() throws IOException {
        List<ServiceProcess> agents = cluster.scaleCompute(liveAgents().size() + 1, AgentSickness.REFUSE);
        String sick = agents.stream().map(ServiceProcess::name).max(Comparator.comparingInt(
                n -> Integer.parseInt(n.substring(n.lastIndexOf('-') + 1)))).orElseThrow();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !schedulersStopChoosing(sick));

            LoadRunner.Result result = load.boot(state, "e2e-sick", 20, new LoadRunner.Flavor(1, 512), 4,
                    Duration.ofSeconds(90));

            assertThat(result.refusals()).isEmpty();
            assertThat(result.servers().values()).hasSize(20).allSatisfy(s -> {
                assertThat(s.path("status").asString()).isEqualTo("ACTIVE");
                assertThat(s.path("host").asString()).isNotEqualTo(sick);
                assertThat(s.path("attempts").asInt()).as("attempts").isLessThanOrEqualTo(2);
            });
            // the sick agent has the most room, so the schedulers chose it, and the gateway went around it
            assertThat(result.retried()).isPositive();
        } finally {
            cluster.stop(sick);
        }
    }

    /** Whether every live scheduler has stopped counting the agent as a candidate (no fresh report). */
    private boolean schedulersStopChoosing(String agent) throws IOException {
        for (ServiceProcess scheduler : state.of(ServiceKind.SCHEDULER)) {
            for (JsonNode host : http.get(scheduler.baseUrl() + "/api/v1/hosts").body()) {
                if (agent.equals(host.path("host").asString()) && host.path("fresh").asBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    private Set<String> liveAgents() throws IOException {
        Set<String> live = new java.util.HashSet<>();
        for (JsonNode node : http.get(state.matchmaker().baseUrl() + "/api/v1/topics/compute").body().path("nodes")) {
            live.add(node.path("nodeId").asString());
        }
        live.retainAll(state.of(ServiceKind.COMPUTE).stream().filter(ServiceProcess::alive)
                .map(ServiceProcess::name).collect(Collectors.toSet()));
        return live;
    }

    private Map<String, JsonNode> hypervisors() throws IOException {
        Map<String, JsonNode> views = new HashMap<>();
        for (ServiceProcess agent : state.of(ServiceKind.COMPUTE)) {
            views.put(agent.name(), http.get(agent.baseUrl() + "/api/v1/hypervisor").body());
        }
        return views;
    }

    /** The matchmaker's view for the probe's look-ups; the probe serves nothing, so it does not register. */
    private static Matchmaker lookupsOnly(RestMatchmaker directory) {
        return new Matchmaker() {
            @Override
            public List<NodeRef> lookup(String topic) {
                return directory.lookup(topic);
            }

            @Override
            public Optional<NodeRef> node(String nodeId) {
                return directory.node(nodeId);
            }
        };
    }
}
