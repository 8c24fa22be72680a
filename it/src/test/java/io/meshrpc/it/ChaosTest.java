package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.meshrpc.node.MeshNode;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sixty seconds of mixed calls, casts and fanouts while receivers are stopped and restarted, the
 * broker is stopped and started, and the matchmaker goes away and comes back. At the end every cast
 * whose send succeeded was handled exactly once, every call ended with a result or a precise
 * error, and nothing hung.
 */
class ChaosTest {

    private static final Duration RUN = Duration.ofSeconds(60);
    private static final List<String> RECEIVERS = List.of("r1", "r2", "r3");
    private static final Duration REFRESH = Duration.ofMillis(300);

    @TempDir
    Path brokerStore;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, MeshNode> running = new ConcurrentHashMap<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private volatile EmbeddedQpidBroker broker;
    private volatile ConfigurableApplicationContext matchmaker;
    private final AtomicInteger chaosActions = new AtomicInteger();
    private int brokerPort;
    private int matchmakerPort;

    /** One per receiver id, kept across its restarts: counts every handled cast by its key. */
    @RpcEndpoint(topic = "compute")
    static final class Counter {
        final String name;
        final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

        Counter(String name) {
            this.name = name;
        }

        public void build(String key) {
            handled.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }

        public void refresh(String version) {
        }

        public String host() {
            return name;
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        running.values().forEach(MeshNode::stop);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (matchmaker != null) {
            matchmaker.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void castsAreHandledExactlyOnceAndCallsEndPreciselyThroughOutagesOfEveryPart() throws Exception {
        startBroker();
        brokerPort = broker.port();
        startMatchmaker(0);
        matchmakerPort = ((org.springframework.boot.web.server.context.WebServerApplicationContext) matchmaker)
                .getWebServer().getPort();
        RECEIVERS.forEach(id -> counters.put(id, new Counter(id)));
        RECEIVERS.forEach(this::startReceiver);
        MeshNode sender = node("api");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> callsReachAll(sender));

        Map<String, String> castTo = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> casts = new ArrayList<>();
        List<String> castKeys = new ArrayList<>();
        List<CompletableFuture<String>> calls = new ArrayList<>();
        List<CompletableFuture<Void>> fanouts = new ArrayList<>();
        Random random = new Random(42);
        long end = System.nanoTime() + RUN.toNanos();
        long nextChaos = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end) {
            if (System.nanoTime() >= nextChaos) {
                chaos(random);
                nextChaos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500 + random.nextInt(2_500));
            }
            String to = RECEIVERS.get(random.nextInt(RECEIVERS.size()));
            int op = random.nextInt(10);
            if (op < 6) {
                String key = "c-" + (n++);
                castTo.put(key, to);
                castKeys.add(key);
                casts.add(sender.client().cast(Target.topic("compute").server(to), "build", key));
            } else if (op < 9) {
                calls.add(sender.client().<String>invoke(Target.topic("compute"), "host", String.class, Duration.ofSeconds(3)));
            } else {
                fanouts.add(sender.client().fanout("compute", "refresh", "v" + n));
            }
            Thread.sleep(5);
        }

        // everything back, then the books are checked
        if (broker == null) {
            startBroker();
        }
        if (matchmaker == null) {
            startMatchmaker(matchmakerPort);
        }
        RECEIVERS.stream().filter(id -> !running.containsKey(id)).forEach(this::startReceiver);

        CompletableFuture.allOf(casts.toArray(CompletableFuture[]::new)).handle((ok, e) -> null).get(60, TimeUnit.SECONDS);
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((ok, e) -> null).get(60, TimeUnit.SECONDS);
        CompletableFuture.allOf(fanouts.toArray(CompletableFuture[]::new)).handle((ok, e) -> null).get(60, TimeUnit.SECONDS);

        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < casts.size(); i++) {
            if (!casts.get(i).isCompletedExceptionally()) {
                delivered.add(castKeys.get(i));
            } else {
                assertPrecise(casts.get(i));
            }
        }
        System.out.printf("chaos: %d chaos actions; casts %d sent, %d confirmed; calls %d, %d with a result; fanouts %d%n",
                chaosActions.get(), casts.size(), delivered.size(), calls.size(),
                calls.stream().filter(c -> !c.isCompletedExceptionally()).count(), fanouts.size());
        // how many get through depends on how long the broker and the receivers happened to be down
        // together; the promise is about those that did: each handled exactly once
        assertThat(delivered.size()).as("casts confirmed by a transport").isGreaterThan(casts.size() / 10);
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(delivered)
                .allSatisfy(key -> assertThat(handledCount(castTo.get(key), key)).as(key).isGreaterThanOrEqualTo(1)));
        assertThat(delivered).allSatisfy(key -> assertThat(handledCount(castTo.get(key), key)).as(key).isEqualTo(1));
        for (CompletableFuture<String> call : calls) {
            if (call.isCompletedExceptionally()) {
                assertPrecise(call);
            } else {
                assertThat(call.get()).isIn(RECEIVERS);
            }
        }
    }

    private int handledCount(String node, String key) {
        AtomicInteger count = counters.get(node).handled.get(key);
        return count == null ? 0 : count.get();
    }

    private static void assertPrecise(CompletableFuture<?> future) {
        Throwable error = future.handle((ok, e) -> Failures.unwrap(e)).join();
        assertThat(error).isInstanceOfAny(NoRouteException.class, RpcTimeoutException.class, RemoteException.class);
        assertThat(error.getMessage()).isNotBlank();
    }

    private void chaos(Random random) {
        chaosActions.incrementAndGet();
        switch (random.nextInt(4)) {
            case 0, 1 -> {
                String id = RECEIVERS.get(random.nextInt(RECEIVERS.size()));
                MeshNode node = running.remove(id);
                if (node != null) {
                    node.stop();
                } else {
                    startReceiver(id);
                }
            }
            case 2 -> {
                if (broker != null) {
                    EmbeddedQpidBroker b = broker;
                    broker = null;
                    b.close();
                } else {
                    startBroker();
                }
            }
            default -> {
                if (matchmaker != null) {
                    ConfigurableApplicationContext m = matchmaker;
                    matchmaker = null;
                    m.close();
                } else {
                    startMatchmaker(matchmakerPort);
                }
            }
        }
    }

    private boolean callsReachAll(MeshNode sender) throws Exception {
        for (String id : RECEIVERS) {
            sender.client().<String>invoke(Target.topic("compute").server(id), "host", String.class, Duration.ofSeconds(2))
                    .get(5, TimeUnit.SECONDS);
        }
        return true;
    }

    private void startBroker() {
        broker = EmbeddedQpidBroker.startPersistent(brokerPort, brokerStore);
    }

    private void startMatchmaker(int port) {
        matchmaker = new SpringApplicationBuilder(MatchmakerApplication.class)
                
                // command-line arguments: they win over the service's own application.properties
                .run("--server.port=" + port, "--meshrpc.enabled=false", "--spring.main.banner-mode=off", "--meshrpc.matchmaker.sweep-interval=200ms");
    }

    private void startReceiver(String id) {
        running.put(id, node(id, counters.get(id)));
    }

    private MeshNode node(String id, Object... endpoints) {
        RestMatchmaker mm = new RestMatchmaker("http://127.0.0.1:" + matchmakerPort, null, REFRESH,
                Duration.ofSeconds(3), JsonMapper.builder().build());
        open.add(mm);
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", brokerPort);
        return MeshNode.builder().nodeId(id).matchmaker(mm).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0))
                .amqp(connections, AmqpSettings.defaults(""))
                .routing(new RoutingSettings(DeliveryPolicy.ZMQ_FIRST, Map.of(), Duration.ofSeconds(2)))
                .drainTimeout(Duration.ofSeconds(2))
                .build().start();
    }
}
