package io.meshrpc.it.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.RestMatchmakerSettings;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * Silent partitions on a real network: a node in a network namespace of its own, cut off from
 * everything by iptables rules that drop packets both ways (no RST, no error to any sender), with the
 * default bounds of {@code docs/configuration.md} ("How long a partition holds work back"). Needs Linux
 * and root, as CI has; skips with the reason elsewhere. Every namespace and rule is removed in every
 * case.
 */
class PartitionTest {

    /** Slack on a stated bound for a loaded 2-core machine: scheduling, GC, the I/O threads' rounds. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final Duration ACK_TIMEOUT = ZmqSettings.DEFAULT_ACK_TIMEOUT;
    private static final Duration CONFIRM_TIMEOUT = AmqpSettings.DEFAULT_CONFIRM_TIMEOUT;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void requireNamespaces() {
        String why = NetworkNamespace.unavailable();
        Assumptions.assumeTrue(why == null, "partition suite skipped: " + why);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aComputeNodeBlackholedFor45SecondsLosesNoBuildHandlesEachOnceAndIsOutOfServiceMeanwhile()
            throws Exception {
        Fleet fleet = computeNodeInANamespace();
        NetworkNamespace ns = fleet.ns();
        MeshNode gateway = fleet.gateway();
        Child agent = fleet.agent();
        Target compute = fleet.compute();

        ns.blackhole();
        long cutAt = System.nanoTime();
        long healAt = cutAt + TimeUnit.SECONDS.toNanos(45);
        Sent call = Sent.of("call", gateway.client().call(compute, "host", null, String.class,
                Duration.ofSeconds(5)));
        List<Sent> builds = castUntil(healAt, Duration.ofMillis(500), "during-", gateway, compute);
        assertThat(agent.states).as("the cut-off node knew it: its readiness was OUT_OF_SERVICE").contains("DETACHED");

        // A call to the cut-off node ends by its deadline (it went to the broker queue; nobody answers).
        assertThat(call.future()).isCompletedExceptionally();
        ExecutionException failure = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                call.future()::get);
        assertThat(failure.getCause()).isInstanceOfAny(RpcTimeoutException.class, NoRouteException.class);
        assertThat(call.resolvedAfterNanos()).isLessThan(Duration.ofSeconds(5).plus(SLACK).toNanos());
        // Each cast during the partition resolved within one ACK timeout and one confirm timeout.
        for (Sent build : builds) {
            assertThat(build.future()).as(build.id()).isCompleted();
            assertThat(build.resolvedAfterNanos()).as(build.id() + " resolved after")
                    .isLessThan(ACK_TIMEOUT.plus(CONFIRM_TIMEOUT).plus(SLACK).toNanos());
        }

        ns.heal();
        long healedAt = System.nanoTime();
        // Queued builds arrive within a connection timeout and a recovery interval of the network being
        // back (docs/configuration.md), and the node is ready again within a third of its registration's TTL.
        Duration bound = AmqpSettings.DEFAULT_CONNECTION_TIMEOUT.plus(AmqpSettings.DEFAULT_RECOVERY_INTERVAL).plus(SLACK);
        for (Sent build : builds) {
            if (!build.future().isCompletedExceptionally()) {
                agent.awaitHandled(build.id(), bound);
            }
        }
        agent.awaitState("RUNNING", RestMatchmakerSettings.DEFAULT_TTL.dividedBy(3).plus(SLACK));
        assertThat(builds).allSatisfy(b -> assertThat(b.future()).isCompletedWithValue(null));
        assertThat(agent.handledMoreThanOnce()).isEmpty();
        report("45 s blackhole of a compute node: %d builds sent during it, each resolved within %d ms (the first"
                        + " after one ACK timeout, then straight to the broker); DETACHED %.1f s into it; every queued"
                        + " build handled, once, %.1f s after healing; RUNNING again %.1f s after healing",
                builds.size(), TimeUnit.NANOSECONDS.toMillis(builds.stream().mapToLong(Sent::resolvedAfterNanos).max()
                        .orElse(0)), seconds(agent.firstSeen("DETACHED") - cutAt),
                seconds(builds.stream().mapToLong(b -> agent.handledAt(b.id())).max().orElse(healedAt) - healedAt),
                seconds(agent.lastSeen("RUNNING") - healedAt));
    }

    /** The figures a run measured, in the test's output (and the build log), for docs/reliability.md. */
    private static void report(String format, Object... args) {
        System.out.println("[partition] " + String.format(format, args));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Test
    void aComputeNodeCutOffFromTheMatchmakerAloneIsOutOfServiceButKeepsTakingBuilds() throws Exception {
        Fleet fleet = computeNodeInANamespace();
        NetworkNamespace ns = fleet.ns();
        MeshNode gateway = fleet.gateway();
        Child agent = fleet.agent();
        Target compute = fleet.compute();

        ns.blackholeHostPort(fleet.matchmakerPort());
        long cutAt = System.nanoTime();
        long healAt = cutAt + RestMatchmakerSettings.DEFAULT_TTL.plusSeconds(10).toNanos();
        List<Sent> builds = castUntil(healAt, Duration.ofMillis(500), "mm-cut-", gateway, compute);
        assertThat(agent.states).as("its registration lapsed: readiness OUT_OF_SERVICE").contains("DETACHED");

        ns.heal();
        long healedAt = System.nanoTime();
        for (Sent build : builds) {
            agent.awaitHandled(build.id(), Duration.ofSeconds(15));
        }
        agent.awaitState("RUNNING", RestMatchmakerSettings.DEFAULT_TTL.dividedBy(3).plus(SLACK));
        assertThat(builds).allSatisfy(b -> assertThat(b.future()).isCompletedWithValue(null));
        assertThat(agent.handledMoreThanOnce()).isEmpty();
        report("compute node cut off from the matchmaker for %.0f s: %d builds, all delivered and handled once;"
                        + " DETACHED %.1f s into it (TTL %d s); RUNNING again %.1f s after healing",
                seconds(healAt - cutAt), builds.size(), seconds(agent.firstSeen("DETACHED") - cutAt),
                RestMatchmakerSettings.DEFAULT_TTL.toSeconds(), seconds(agent.lastSeen("RUNNING") - healedAt));
    }

    @Test
    void twentyPercentRandomLossBothWaysLosesNoBuildAndHandlesEachOnce() throws Exception {
        Fleet fleet = computeNodeInANamespace();
        NetworkNamespace ns = fleet.ns();
        MeshNode gateway = fleet.gateway();
        Child agent = fleet.agent();
        Target compute = fleet.compute();

        ns.loseRandomly(0.2);
        long endAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Sent> builds = castUntil(endAt, Duration.ofMillis(100), "lossy-", gateway, compute);
        ns.heal();
        long healedAt = System.nanoTime();
        for (Sent build : builds) {
            agent.awaitHandled(build.id(), Duration.ofSeconds(30));
        }
        assertThat(builds).allSatisfy(b -> assertThat(b.future()).isCompletedWithValue(null));
        assertThat(agent.handledMoreThanOnce()).isEmpty();
        report("20 %% random loss both ways for 30 s: %d builds, each resolved within %d ms, all handled once,"
                        + " the last %.1f s after the loss ended; failovers to the broker: %.0f", builds.size(),
                TimeUnit.NANOSECONDS.toMillis(builds.stream().mapToLong(Sent::resolvedAfterNanos).max().orElse(0)),
                seconds(builds.stream().mapToLong(b -> agent.handledAt(b.id())).max().orElse(healedAt) - healedAt),
                gateway.metrics().count(io.meshrpc.metrics.RpcMetrics.FAILOVERS));
    }

    @Test
    void withTheBrokerUnreachableFor30SecondsEveryPendingConfirmResolvesWithinTheConfirmTimeout()
            throws Exception {
        NetworkNamespace ns = track(NetworkNamespace.create());
        Process brokerProcess = startBrokerIn(ns);
        int brokerPort = 5672;
        int matchmakerPort = startMatchmaker();
        // The sender serves the topic too, so that its queue exists on the broker in the namespace.
        MeshNode sender = sender("api-p", ns, matchmakerPort, brokerPort, ns.nsAddress(), DeliveryPolicy.AMQP,
                new NodeInANamespace.Builds());
        Target topic = Target.topic("compute");
        Awaitility.await("the sender reaches the broker").atMost(Duration.ofSeconds(60)).until(() ->
                sender.client().cast(topic, "buildInstance", "before").handle((ok, e) -> e == null).join());

        ns.blackhole();
        long healAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Sent> casts = castUntil(healAt, Duration.ofMillis(200), "cut-", sender, topic);
        Awaitility.await("every cast of the partition resolved").atMost(CONFIRM_TIMEOUT.plus(SLACK))
                .until(() -> casts.stream().allMatch(c -> c.future().isDone()));
        for (Sent cast : casts) {
            assertThat(cast.resolvedAfterNanos()).as(cast.id() + " resolved after")
                    .isLessThan(CONFIRM_TIMEOUT.plus(SLACK).toNanos());
        }
        // Nothing can be confirmed through a partition: each fails (NOT_ACKNOWLEDGED, or TRANSPORT_UNAVAILABLE
        // once the connection is declared dead), and the caller knows within the bound.
        assertThat(casts).allSatisfy(c -> assertThat(c.future()).isCompletedExceptionally());

        ns.heal();
        long healedAt = System.nanoTime();
        Awaitility.await("a cast is confirmed again").atMost(AmqpSettings.DEFAULT_CONNECTION_TIMEOUT
                .plus(AmqpSettings.DEFAULT_RECOVERY_INTERVAL).plus(CONFIRM_TIMEOUT).plus(SLACK)).until(() ->
                sender.client().cast(topic, "buildInstance", "after").handle((ok, e) -> e == null).join());
        report("broker unreachable from a sender for 30 s: %d casts sent during it, each failed within %d ms;"
                        + " a cast confirmed again %.1f s after healing", casts.size(),
                TimeUnit.NANOSECONDS.toMillis(casts.stream().mapToLong(Sent::resolvedAfterNanos).max().orElse(0)),
                seconds(System.nanoTime() - healedAt));
        assertThat(brokerProcess.isAlive()).as("the broker in the namespace ran throughout").isTrue();
    }

    // ---------------------------------------------------------------- set-up

    /** A compute node in a namespace of its own, and a sender on the host that reaches it: what most faults cut. */
    private record Fleet(NetworkNamespace ns, int matchmakerPort, MeshNode gateway, Child agent, Target compute) {
    }

    private Fleet computeNodeInANamespace() throws IOException {
        NetworkNamespace ns = track(NetworkNamespace.create());
        EmbeddedQpidBroker broker = track(EmbeddedQpidBroker.start("0.0.0.0", 0));
        int matchmakerPort = startMatchmaker();
        MeshNode gateway = sender("gateway-p", ns, matchmakerPort, broker.port());
        Child agent = startChild(ns, "compute-ns", matchmakerPort, broker.port());
        agent.awaitState("RUNNING", Duration.ofSeconds(60));
        Target compute = Target.topic("compute").server("compute-ns");
        awaitFirstBuild(gateway, compute, agent);
        return new Fleet(ns, matchmakerPort, gateway, agent, compute);
    }

    /** Builds {@code prefix<n>} cast one every {@code pace} until {@code endNanos}, each with when it resolved. */
    private static List<Sent> castUntil(long endNanos, Duration pace, String prefix, MeshNode sender, Target target)
            throws InterruptedException {
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; System.nanoTime() < endNanos; i++) {
            sent.add(Sent.of(prefix + i, sender.client().cast(target, "buildInstance", prefix + i)));
            Thread.sleep(pace.toMillis()); // the pace of the casts, not a synchronisation
        }
        return sent;
    }

    /** Until a build reaches the node: the sender's view has it, and its queues exist. */
    private static void awaitFirstBuild(MeshNode sender, Target target, Child agent) {
        AtomicInteger attempt = new AtomicInteger();
        Awaitility.await("a first build reaches " + target.server()).atMost(Duration.ofSeconds(30)).until(() -> sender
                .client().cast(target, "buildInstance", "before-" + attempt.incrementAndGet())
                .handle((ok, e) -> e == null).join());
        agent.awaitHandled("before-" + attempt.get(), Duration.ofSeconds(10));
    }

    private <T extends AutoCloseable> T track(T resource) {
        open.add(resource);
        return resource;
    }

    private int startMatchmaker() {
        ConfigurableApplicationContext service = new SpringApplicationBuilder(MatchmakerApplication.class)
                .run("--server.port=0", "--meshrpc.enabled=false", "--spring.main.banner-mode=off",
                        "--meshrpc.matchmaker.sweep-interval=1s");
        open.add(service::close);
        return ((WebServerApplicationContext) service).getWebServer().getPort();
    }

    private MeshNode sender(String id, NetworkNamespace ns, int matchmakerPort, int brokerPort) {
        return sender(id, ns, matchmakerPort, brokerPort, "127.0.0.1", DeliveryPolicy.ZMQ_FIRST);
    }

    private MeshNode sender(String id, NetworkNamespace ns, int matchmakerPort, int brokerPort, String brokerHost,
                            DeliveryPolicy policy, Object... endpoints) {
        RestMatchmaker matchmaker = track(new RestMatchmaker(RestMatchmakerSettings.of(
                "http://127.0.0.1:" + matchmakerPort, null, RestMatchmakerSettings.DEFAULT_TTL),
                JsonMapper.builder().build()));
        CachingConnectionFactory connections = new CachingConnectionFactory(brokerHost, brokerPort);
        open.add(connections::destroy);
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(matchmaker).endpoints(endpoints)
                .zmq(ZmqSettings.builder().bindHost("0.0.0.0").advertiseHost(ns.hostAddress()).port(0).build())
                .amqp(connections, AmqpSettings.defaults(""))
                .routing(RoutingSettings.of(policy))
                .defaultTimeout(Duration.ofSeconds(10))
                .build().start();
        open.add(node::stop);
        return node;
    }

    private Child startChild(NetworkNamespace ns, String nodeId, int matchmakerPort, int brokerPort)
            throws IOException {
        Process process = new ProcessBuilder(ns.exec(List.of(javaBinary(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), NodeInANamespace.class.getName(), nodeId, ns.nsAddress(),
                ns.hostAddress(), Integer.toString(matchmakerPort), Integer.toString(brokerPort))))
                .redirectErrorStream(true).start();
        Child child = new Child(process);
        open.add(child);
        return child;
    }

    private Process startBrokerIn(NetworkNamespace ns) throws IOException {
        Process process = new ProcessBuilder(ns.exec(List.of(javaBinary(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), EmbeddedQpidBroker.class.getName(), "5672", "0.0.0.0")))
                .redirectErrorStream(true).start();
        Child child = new Child(process);
        open.add(child);
        child.awaitLine("Qpid Broker-J listening", Duration.ofSeconds(60));
        return process;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A message sent during a partition, and how long it took to resolve. */
    private record Sent(String id, CompletableFuture<?> future, long sentAt, long[] resolvedAt) {
        static Sent of(String id, CompletableFuture<?> future) {
            Sent sent = new Sent(id, future, System.nanoTime(), new long[1]);
            future.whenComplete((ok, error) -> sent.resolvedAt[0] = System.nanoTime());
            return sent;
        }

        long resolvedAfterNanos() {
            return resolvedAt[0] - sentAt;
        }
    }

    /** A process of the test, whose output lines are kept; destroyed with the test. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> states = new CopyOnWriteArrayList<>();
        final List<Long> stateTimes = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        final Map<String, Long> handledTimes = new ConcurrentHashMap<>();

        Child(Process process) {
            this.process = process;
            Thread reader = new Thread(this::read, "child-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (line.startsWith(NodeInANamespace.PREFIX + "STATE ")) {
                        stateTimes.add(System.nanoTime());
                        states.add(line.substring((NodeInANamespace.PREFIX + "STATE ").length()));
                    } else if (line.startsWith(NodeInANamespace.PREFIX + "HANDLED ")) {
                        String id = line.substring((NodeInANamespace.PREFIX + "HANDLED ").length());
                        handledTimes.putIfAbsent(id, System.nanoTime());
                        handled.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            } catch (IOException ex) {
                // the process ended
            }
        }

        void awaitState(String state, Duration within) {
            Awaitility.await("state " + state).atMost(within)
                    .until(() -> !states.isEmpty() && states.get(states.size() - 1).equals(state));
        }

        void awaitHandled(String id, Duration within) {
            Awaitility.await("build " + id + " handled").atMost(within).until(() -> handled.containsKey(id));
        }

        void awaitLine(String text, Duration within) {
            Awaitility.await("a line with '" + text + "'").atMost(within)
                    .until(() -> lines.stream().anyMatch(l -> l.contains(text)));
        }

        /** When the state was first reported ({@code System.nanoTime()}). */
        long firstSeen(String state) {
            return stateTimes.get(states.indexOf(state));
        }

        long lastSeen(String state) {
            return stateTimes.get(states.lastIndexOf(state));
        }

        long handledAt(String id) {
            return handledTimes.get(id);
        }

        List<String> handledMoreThanOnce() {
            return handled.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).toList();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
