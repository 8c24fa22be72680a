package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.opentest4j.TestAbortedException;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.NodeReport.Peer;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.testsupport.EnabledIfRabbitMq;
import io.meshrpc.testsupport.RabbitMq;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.amqp.AmqpTopology;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nodes of this release next to real nodes of the release before namespaces and versions, call monitoring
 * and ping ({@link PreviousRelease}, commit {@value PreviousRelease#COMMIT}, built from this checkout's
 * history and run as separate processes): its scheduler and its gateway, configured with a static matchmaker.
 *
 * <ul>
 *   <li>A CAST or CALL that names a namespace and a version is served by the old scheduler with the methods it
 *       has for the topic: it skips both fields (they are on the wire: a relay in front of it keeps what it was
 *       sent).</li>
 *   <li>A monitored CALL ({@code monitor} on the wire) is answered as any call: the old node skips
 *       {@code monitor}, so a call answered within two intervals completes with the answer. The old node sends
 *       no heartbeat, so a call that it works on for longer than two intervals fails with
 *       {@code HeartbeatTimeoutException} (docs/oslo-messaging.md); that is not shown here, as the old services
 *       have no method that runs that long.</li>
 *   <li>{@code ping} is a CALL of {@code meshrpc.ping}, a method the old node does not have: the ping fails
 *       with a {@code RemoteException} of type {@code meshrpc.UnknownMethod} and the old node's message
 *       {@code Unknown method 'meshrpc.ping' on topic 'scheduler'}, over either transport, for a topic or a server
 *       target; the old node counts it as a received message whose handler failed ({@code error}), not as a
 *       rejected one. A ping answered so shows that the node is alive and of the release before.</li>
 *   <li>Plain casts and calls go both ways, in batch frames (frame format 2, which both releases
 *       negotiate); the old gateway boots a server on this release's scheduler, compute and consoleauth
 *       endpoints, and takes this release's state change.</li>
 * </ul>
 * Over ZeroMQ, and over RabbitMQ where one runs (without one, those two tests skip and say why). The old node
 * rejects nothing it is sent ({@code rejected} stays 0 in its own report).
 */
class PreviousReleaseInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String CLOUD = "new-cloud";
    private static final AtomicInteger HOSTS = new AtomicInteger();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static PreviousRelease.Service oldScheduler;
    private static PreviousRelease.Service oldGateway;
    private static Relay relay;
    private static MeshNode cloud;
    private static MeshNode caller;
    private static MeshNode brokerCaller;
    private static String brokerPrefix;
    private static CachingConnectionFactory brokerConnections;
    private static final Cloud CLOUD_ENDPOINTS = new Cloud();
    private static final List<AutoCloseable> OPEN = new CopyOnWriteArrayList<>();

    // The old services' contracts, as JSON (services-api of that release)
    record CapacityReport(String host, int totalVcpus, int totalRamMb, int freeVcpus, int freeRamMb,
                          List<String> instanceIds) {
    }

    record BuildRequest(String instanceId, int vcpus, int ramMb, List<String> excludedHosts) {
    }

    record Destination(String host, int freeVcpusAfter, int freeRamMbAfter) {
    }

    record InstanceSpec(String id, String name, int vcpus, int ramMb) {
    }

    record InstanceInfo(String id, String name, int vcpus, int ramMb, String host, String status) {
    }

    record ConsoleEndpoint(String instanceId, String host, String protocol, int port) {
    }

    record ConsoleToken(String token, String instanceId, Instant expiresAt) {
    }

    record InstanceEvent(String instanceId, String host, String status, String reason, boolean retryable) {
    }

    /** This release's side of the old gateway: the scheduler, compute host and consoleauth it calls. */
    static final class Cloud {
        final BlockingQueue<BuildRequest> selections = new LinkedBlockingQueue<>();
        final Map<String, InstanceSpec> builds = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> describes = new ConcurrentHashMap<>();
        final BlockingQueue<ConsoleEndpoint> authorized = new LinkedBlockingQueue<>();

        @RpcEndpoint(topic = "scheduler")
        final class Scheduler {
            @RpcMethod("select_destination")
            public Destination selectDestination(BuildRequest request) {
                selections.add(request);
                return new Destination(CLOUD, 7, 4096);
            }
        }

        @RpcEndpoint(topic = "compute")
        final class Compute {
            @RpcMethod("build_instance")
            public void buildInstance(InstanceSpec spec) {
                builds.put(spec.id(), spec);
            }

            @RpcMethod("delete_instance")
            public void deleteInstance(String id) {
                builds.remove(id);
            }

            /** Always BUILDING: only this release's state change makes the old gateway show ACTIVE. */
            @RpcMethod("describe_instance")
            public InstanceInfo describeInstance(String id) {
                describes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                InstanceSpec spec = builds.get(id);
                return new InstanceInfo(id, spec.name(), spec.vcpus(), spec.ramMb(), CLOUD, "BUILDING");
            }

            @RpcMethod("get_console")
            public ConsoleEndpoint getConsole(String id) {
                return new ConsoleEndpoint(id, CLOUD, "vnc", 5901);
            }
        }

        @RpcEndpoint(topic = "consoleauth")
        final class Consoleauth {
            @RpcMethod("authorize_console")
            public ConsoleToken authorizeConsole(ConsoleEndpoint console) {
                authorized.add(console);
                return new ConsoleToken("token-of-" + console.instanceId(), console.instanceId(),
                        Instant.parse("2030-01-01T00:00:00Z"));
            }
        }
    }

    /** Why the previous release cannot be had here (no git, no history, ...), or null. */
    private static String unavailable;

    @BeforeAll
    static void start() throws Exception {
        PreviousRelease.Build build;
        try {
            build = PreviousRelease.build();
        } catch (TestAbortedException ex) {
            // each test skips with the reason (surefire reports an abort in @BeforeAll as no test at all)
            unavailable = ex.getMessage().replaceFirst("^Assumption failed: ", "");
            return;
        }
        System.out.printf("[previous-release] %s %s in %d s%n", build.commit(),
                build.reused() ? "found built" : "built", build.took().toSeconds());

        InMemoryMatchmaker cloudDirectory = new InMemoryMatchmaker();
        cloud = open(MeshNode.builder().nodeId(CLOUD).matchmaker(cloudDirectory).zmq(ZmqSettings.loopback(0))
                .endpoints(CLOUD_ENDPOINTS.new Scheduler(), CLOUD_ENDPOINTS.new Compute(),
                        CLOUD_ENDPOINTS.new Consoleauth())
                .defaultTimeout(TIMEOUT).build().start());

        List<String> scheduler = new ArrayList<>(nodeArgs("old-scheduler"));
        scheduler.add("--scheduler.host-ttl=1h");
        if (RabbitMq.available()) {
            brokerPrefix = RabbitMq.uniquePrefix();
            scheduler.addAll(List.of("--meshrpc.amqp.enabled=true", "--meshrpc.amqp.prefix=" + brokerPrefix,
                    "--spring.rabbitmq.host=" + RabbitMq.host(), "--spring.rabbitmq.port=" + RabbitMq.port(),
                    "--spring.rabbitmq.username=guest", "--spring.rabbitmq.password=guest"));
        }
        List<String> gateway = new ArrayList<>(nodeArgs("old-gateway"));
        gateway.addAll(List.of("--meshrpc.matchmaker.topics.scheduler=" + CLOUD,
                "--meshrpc.matchmaker.topics.compute=" + CLOUD, "--meshrpc.matchmaker.topics.consoleauth=" + CLOUD,
                "--meshrpc.matchmaker.endpoints." + CLOUD + "=" + cloud.endpoint(), "--gateway.build-timeout=1h"));
        oldScheduler = open(build.start("scheduler-service", "old-scheduler", scheduler));
        oldGateway = open(build.start("gateway-service", "old-gateway", gateway));
        oldScheduler.awaitRunning();
        oldGateway.awaitRunning();

        cloudDirectory.register(new NodeRef("old-gateway", oldGateway.zmqEndpoint()), Set.of("gateway"));
        relay = open(Relay.to(oldScheduler.zmqEndpoint()));
        InMemoryMatchmaker directory = new InMemoryMatchmaker();
        directory.register(new NodeRef("old-scheduler", relay.endpoint()), Set.of("scheduler"));
        caller = open(MeshNode.builder().nodeId("new-caller").matchmaker(directory).zmq(ZmqSettings.loopback(0))
                .defaultTimeout(TIMEOUT).build().start());
        if (brokerPrefix != null) {
            brokerConnections = new CachingConnectionFactory(RabbitMq.host(), RabbitMq.port());
            brokerConnections.setUsername("guest");
            brokerConnections.setPassword("guest");
            brokerCaller = open(MeshNode.builder().nodeId("new-broker-caller").matchmaker(new InMemoryMatchmaker())
                    .zmq(ZmqSettings.loopback(0)).amqp(brokerConnections, AmqpSettings.builder().prefix(brokerPrefix)
                            .build())
                    .routing(RoutingSettings.of(DeliveryPolicy.AMQP)).defaultTimeout(TIMEOUT).build().start());
        }
    }

    @BeforeEach
    void requirePreviousRelease() {
        Assumptions.assumeTrue(unavailable == null, unavailable);
    }

    private static List<String> nodeArgs(String nodeId) {
        return List.of("--meshrpc.node-id=" + nodeId, "--meshrpc.zmq.port=0", "--meshrpc.zmq.bind-host=127.0.0.1",
                "--meshrpc.zmq.advertise-host=127.0.0.1", "--meshrpc.matchmaker.type=static");
    }

    @AfterAll
    static void stop() {
        for (int i = OPEN.size() - 1; i >= 0; i--) {
            try {
                OPEN.get(i).close();
            } catch (Exception ex) {
                // best effort: the rest still closes
            }
        }
        if (brokerConnections != null) {
            deleteBrokerNames();
            brokerConnections.destroy();
        }
    }

    // --- This release to the old scheduler, over ZeroMQ

    @Test
    void aCallNamingANamespaceAndAVersionIsServedByANodeOfThePreviousReleaseWhichIgnoresBoth() throws Exception {
        Host host = reportHost(caller.client(), Target.topic("scheduler"));

        Destination chosen = caller.client().call(Target.topic("scheduler").namespace("placement.call").version("2.7"),
                "select_destination", host.request(), Destination.class).get(15, TimeUnit.SECONDS);

        assertThat(chosen).as("the old scheduler's own answer: the one host that fits, all its room claimed")
                .isEqualTo(new Destination(host.name(), 0, 0));
        assertThat(relay.sent()).as("what the old node was sent").contains("\"namespace\":\"placement.call\"")
                .contains("\"version\":\"2.7\"");
        assertOldSchedulerRejectedNothing();
    }

    @Test
    void aCastNamingANamespaceAndAVersionIsHandledByANodeOfThePreviousRelease() throws Exception {
        Host host = reportHost(caller.client(), Target.topic("scheduler").namespace("placement.cast").version("3.1"));

        Destination chosen = caller.client().call(Target.topic("scheduler"), "select_destination", host.request(),
                Destination.class).get(15, TimeUnit.SECONDS);

        assertThat(chosen.host()).as("the old scheduler took the versioned report").isEqualTo(host.name());
        assertThat(relay.sent()).contains("\"namespace\":\"placement.cast\"").contains("\"version\":\"3.1\"");
        assertOldSchedulerRejectedNothing();
    }

    /**
     * Two silent intervals (20 s) are longer than the call's timeout (15 s) here, so what decides is the old node's
     * answer alone, never the clock: a short monitored call to an old node completes with its answer.
     */
    @Test
    void aShortMonitoredCallIsAnsweredByANodeOfThePreviousReleaseWhichIgnoresTheMonitor() throws Exception {
        Host host = reportHost(caller.client(), Target.topic("scheduler"));

        Destination chosen = caller.client().prepare(Target.topic("scheduler")).timeout(TIMEOUT)
                .callMonitor(Duration.ofMillis(10_001)).<Destination>call("select_destination", Destination.class,
                        host.request()).get(15, TimeUnit.SECONDS);

        assertThat(chosen).isEqualTo(new Destination(host.name(), 0, 0));
        assertThat(relay.sent()).as("the CALL asked for heartbeats").contains("\"monitor\":10001");
        assertOldSchedulerRejectedNothing();
    }

    @Test
    void pingingANodeOfThePreviousReleaseFailsWithItsUnknownMethodError() throws Exception {
        int failedBefore = oldSchedulerReceived("zmq", "error");
        for (Target target : List.of(Target.topic("scheduler"), Target.topic("scheduler").server("old-scheduler"))) {
            Throwable error = catchThrowable(() -> caller.client().ping(target).get(15, TimeUnit.SECONDS));

            assertUnknownPing(error);
        }
        await("the old node counts each ping as a call whose handler failed").atMost(TIMEOUT)
                .until(() -> oldSchedulerReceived("zmq", "error") == failedBefore + 2);
        assertOldSchedulerRejectedNothing();
    }

    @Test
    void castsAndCallsFromThisReleaseReachANodeOfThePreviousReleaseInBatchFrames() throws Exception {
        double rejectedBefore = caller.metrics().count(RpcMetrics.RECEIVED, "outcome", "rejected");
        Host host = reportHost(caller.client(), Target.topic("scheduler").server("old-scheduler"));

        Destination chosen = caller.client().call(Target.topic("scheduler").server("old-scheduler"),
                "select_destination", host.request(), Destination.class).get(15, TimeUnit.SECONDS);

        assertThat(chosen).isEqualTo(new Destination(host.name(), 0, 0));
        assertThat(peer(caller, "old-scheduler").frameFormat()).as("batch frames, negotiated with the old node")
                .isEqualTo(2);
        assertThat(caller.metrics().count(RpcMetrics.RECEIVED, "outcome", "rejected")).isEqualTo(rejectedBefore);
        assertOldSchedulerRejectedNothing();
    }

    // --- The old gateway to this release, and back

    @Test
    void castsAndCallsFromANodeOfThePreviousReleaseReachThisReleaseAndItsCastsReachTheOldNode() throws Exception {
        JsonNode accepted = JSON.readTree(oldGateway.post("/api/v1/servers",
                "{\"name\":\"vm-interop\",\"vcpus\":1,\"ramMb\":128}"));
        String id = accepted.path("id").asString();

        assertThat(accepted.path("host").asString()).as("the old gateway placed it where this release's scheduler said")
                .isEqualTo(CLOUD);
        assertThat(CLOUD_ENDPOINTS.selections).as("the old gateway's select_destination CALL, as this release read it")
                .contains(new BuildRequest(id, 1, 128, List.of()));
        await("the old gateway's build_instance CAST arrives").atMost(TIMEOUT)
                .until(() -> CLOUD_ENDPOINTS.builds.containsKey(id));
        assertThat(CLOUD_ENDPOINTS.builds.get(id)).isEqualTo(new InstanceSpec(id, "vm-interop", 1, 128));
        assertThat(status(id)).as("while BUILDING the old gateway asks the host (describe_instance)")
                .isEqualTo("BUILDING");
        assertThat(CLOUD_ENDPOINTS.describes.get(id)).hasPositiveValue();

        cloud.client().cast(Target.topic("gateway").server("old-gateway"), "instance_state_changed",
                new InstanceEvent(id, CLOUD, "ACTIVE", null, false)).get(15, TimeUnit.SECONDS);

        await("this release's instance_state_changed CAST makes the server ACTIVE").atMost(TIMEOUT)
                .until(() -> "ACTIVE".equals(status(id)));
        JsonNode console = JSON.readTree(oldGateway.post("/api/v1/servers/" + id + "/console",
                ""));
        assertThat(console.path("token").asString()).as("get_console, then authorize_console, both served here")
                .isEqualTo("token-of-" + id);
        assertThat(CLOUD_ENDPOINTS.authorized).contains(new ConsoleEndpoint(id, CLOUD, "vnc", 5901));
        assertThat(peer(cloud, "old-gateway").frameFormat()).isEqualTo(2);
        JsonNode gatewayView = oldGateway.report();
        assertThat(gatewayView.path("peers").valueStream().filter(p -> p.path("nodeId").asString().equals(CLOUD))
                .map(p -> p.path("frameFormat").asInt()).toList()).as("the old gateway's own view of the connection")
                .containsExactly(2);
        assertThat(gatewayView.path("traffic").path("received").path("zmq").path("rejected").asInt(0)).isZero();
    }

    // --- This release to the old scheduler, over RabbitMQ

    @Test
    @EnabledIfRabbitMq
    void overRabbitMqANodeOfThePreviousReleaseServesVersionedCastsAndMonitoredVersionedCalls() throws Exception {
        Host host = reportHost(brokerCaller.client(), Target.topic("scheduler").namespace("placement").version("3.1"));

        Destination chosen = brokerCaller.client().prepare(Target.topic("scheduler").namespace("placement"))
                .version("2.7").timeout(TIMEOUT).callMonitor(Duration.ofSeconds(10))
                .<Destination>call("select_destination", Destination.class, host.request())
                .get(15, TimeUnit.SECONDS);

        assertThat(chosen).isEqualTo(new Destination(host.name(), 0, 0));
        assertThat(brokerCaller.metrics().count(RpcMetrics.SENT, "transport", "amqp", "kind", "CAST", "outcome", "ok"))
                .as("through the broker").isPositive();
        assertThat(brokerCaller.metrics().count(RpcMetrics.SENT, "transport", "amqp", "kind", "CALL", "outcome", "ok"))
                .isPositive();
        assertThat(oldSchedulerReceived("amqp", "handled")).as("the old node took them from the broker").isPositive();
        assertOldSchedulerRejectedNothing();
    }

    @Test
    @EnabledIfRabbitMq
    void overRabbitMqPingingANodeOfThePreviousReleaseFailsWithItsUnknownMethodError() throws Exception {
        int failedBefore = oldSchedulerReceived("amqp", "error");

        Throwable error = catchThrowable(() -> brokerCaller.client().ping(Target.topic("scheduler"))
                .get(15, TimeUnit.SECONDS));

        assertUnknownPing(error);
        await("the old node counts the ping as a call whose handler failed").atMost(TIMEOUT)
                .until(() -> oldSchedulerReceived("amqp", "error") == failedBefore + 1);
    }

    // --- helpers

    /** A compute host of its own for one test: reported to the old scheduler, and the one host its request fits. */
    record Host(String name, int ramMb) {
        BuildRequest request() {
            return new BuildRequest("instance-on-" + name, 1, ramMb, List.of());
        }
    }

    /**
     * Sends the old scheduler a capacity report (a CAST to {@code target}) of a new host with more room than any
     * before, and waits until the old scheduler lists it ({@code GET /api/v1/hosts}): a worker applies a cast
     * after it was acknowledged, and may do so after a later call's.
     */
    private static Host reportHost(RpcClient client, Target target) throws Exception {
        int n = HOSTS.incrementAndGet();
        Host host = new Host("compute-" + n, 100_000 + n * 1_000);
        client.cast(target, "update_capacity", new CapacityReport(host.name(), 1, host.ramMb(), 1, host.ramMb(),
                List.of())).get(15, TimeUnit.SECONDS);
        await("the old scheduler took the report of " + host.name()).atMost(TIMEOUT)
                .until(() -> JSON.readTree(oldScheduler.get("/api/v1/hosts")).valueStream()
                        .anyMatch(h -> h.path("host").asString().equals(host.name())
                                && h.path("free").path("ramMb").asInt() == host.ramMb()));
        return host;
    }

    /** How many messages the old scheduler counted as received over {@code transport} with {@code outcome}. */
    private static int oldSchedulerReceived(String transport, String outcome) throws Exception {
        return oldScheduler.report().path("traffic").path("received").path(transport).path(outcome).asInt(0);
    }

    /** The old scheduler refused nothing it was sent (malformed, unknown field values, wrong node, ...). */
    private static void assertOldSchedulerRejectedNothing() throws Exception {
        assertThat(oldSchedulerReceived("zmq", "rejected")).as("rejected by the old node over ZeroMQ").isZero();
        assertThat(oldSchedulerReceived("amqp", "rejected")).as("rejected by the old node over the broker").isZero();
    }

    private static void assertUnknownPing(Throwable error) {
        assertThat(error).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RemoteException.class);
        RemoteException remote = (RemoteException) error.getCause();
        assertThat(remote.remoteType()).isEqualTo(RemoteException.UNKNOWN_METHOD);
        assertThat(remote.remoteMessage()).isEqualTo("Unknown method 'meshrpc.ping' on topic 'scheduler'");
    }

    private static String status(String id) throws Exception {
        return JSON.readTree(oldGateway.get("/api/v1/servers/" + id)).path("status").asString();
    }

    private static Peer peer(MeshNode node, String peerId) {
        return node.report().peers().stream().filter(p -> p.nodeId().equals(peerId)).findFirst().orElseThrow();
    }

    private static <T extends AutoCloseable> T open(T resource) {
        OPEN.add(resource);
        return resource;
    }

    private static void deleteBrokerNames() {
        RabbitAdmin admin = new RabbitAdmin(brokerConnections);
        AmqpTopology names = new AmqpTopology(AmqpSettings.builder().prefix(brokerPrefix).build());
        List<Runnable> deletes = new ArrayList<>();
        for (String node : List.of("old-scheduler", "new-broker-caller")) {
            deletes.add(() -> admin.deleteQueue(names.replyQueue(node)));
        }
        names.consumedQueues("old-scheduler", Set.of("scheduler")).forEach(q -> deletes.add(() -> admin.deleteQueue(q)));
        deletes.add(() -> admin.deleteExchange(names.fanoutExchange("scheduler")));
        deletes.add(() -> admin.deleteExchange(names.exchange()));
        for (Runnable delete : deletes) {
            try {
                delete.run();
            } catch (RuntimeException ex) {
                // already gone
            }
        }
    }

    /**
     * A TCP relay in front of the old node's ZeroMQ receiver that keeps every byte sent to it: the JSON envelopes
     * (frame format 1, or {@code E} items of batch frames) are there as written, so a test can see the fields the
     * old node was given.
     */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final String host;
        private final int port;
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        private Relay(String endpoint) throws IOException {
            String address = endpoint.substring("tcp://".length());
            this.host = address.substring(0, address.lastIndexOf(':'));
            this.port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "relay-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static Relay to(String endpoint) throws IOException {
            return new Relay(endpoint);
        }

        String endpoint() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        /** Everything sent to the old node so far, bytes as ISO-8859-1 characters. */
        String sent() {
            synchronized (sent) {
                return sent.toString(StandardCharsets.ISO_8859_1);
            }
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(host, port);
                    sockets.add(in);
                    sockets.add(out);
                    pump(in, out, true);
                    pump(out, in, false);
                } catch (IOException ex) {
                    // closed
                }
            }
        }

        private void pump(Socket from, Socket to, boolean keep) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16384];
                try (InputStream input = from.getInputStream(); OutputStream output = to.getOutputStream()) {
                    for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
                        if (keep) {
                            synchronized (sent) {
                                sent.write(buffer, 0, n);
                            }
                        }
                        output.write(buffer, 0, n);
                        output.flush();
                    }
                } catch (IOException ex) {
                    // one side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ex) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(Relay::closeQuietly);
        }
    }
}
