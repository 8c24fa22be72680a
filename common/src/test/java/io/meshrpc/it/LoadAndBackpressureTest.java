package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.it.Endpoints.Scheduler;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;

/** Many messages at once, and what happens when a node or a connection is full. */
class LoadAndBackpressureTest {

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void tenThousandCastsFromEightThreadsAreEachHandledExactlyOnce() throws Exception {
        Compute compute = new Compute("compute-1");
        MeshNode receiver = cluster.start("compute-1", compute);
        // A generous ACK timeout: this test is about exactly-once under load, not about timeouts.
        RpcClient rpc = cluster.start(MeshNode.builder().nodeId("api-1")
                .zmq(ZmqSettings.loopback(0).withAckTimeout(Duration.ofSeconds(15)))).client();
        int threads = 8;
        int perThread = 1250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> acks = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        acks.add(rpc.cast(Target.topic("compute").server("compute-1"), "buildInstance",
                                "vm-" + thread + "-" + i));
                    }
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> compute.total.get() >= threads * perThread);
        assertThat(compute.handled).hasSize(threads * perThread);
        assertThat(compute.handled.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(compute.total).hasValue(threads * perThread);
        assertThat(receiver.metrics().count(RpcMetrics.RECEIVED, "outcome", "handled")).isEqualTo(threads * perThread);
    }

    @Test
    void fullDispatchQueueRefusesWithOverloadedAndRecovers() throws Exception {
        Blocking blocking = new Blocking();
        MeshNode receiver = cluster.start(MeshNode.builder().nodeId("slow-1").endpoints(blocking).workers(1, 2));
        RpcClient rpc = cluster.start("api-1").client();
        Target target = Target.topic("blocking").server("slow-1");
        rpc.cast(target, "hold").get(10, TimeUnit.SECONDS);
        Awaitility.await().until(() -> blocking.started.getCount() == 0);
        rpc.cast(target, "hold").get(10, TimeUnit.SECONDS);
        rpc.cast(target, "hold").get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> refused = rpc.cast(target, "hold");
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(NoRouteException.class, ex -> {
                    assertThat(ex.reason()).isEqualTo(NoRouteException.Reason.REFUSED);
                    assertThat(ex.getMessage()).contains("meshrpc.Overloaded");
                });
        assertThat(receiver.report().queues().dispatchQueueDepth()).isEqualTo(2);
        Awaitility.await().until(() -> receiver.report().queues().dispatchOldestQueuedMillis() > 0);
        blocking.release.countDown();
        Awaitility.await().until(() -> receiver.report().queues().dispatchQueueDepth() == 0);
        rpc.cast(target, "hold").get(10, TimeUnit.SECONDS);
    }

    @Test
    void tooManyUnacknowledgedMessagesToOnePeerFailWithPeerQueueFull() {
        MeshNode frozen = cluster.start("compute-1", new Compute("compute-1"));
        MeshNode sender = cluster.start(MeshNode.builder().nodeId("api-1")
                .zmq(ZmqSettings.loopback(0).withAckTimeout(Duration.ofSeconds(30)).withLimits(16, 3)));
        // A receiver that is registered but stopped never ACKs: the window fills up.
        String endpoint = frozen.endpoint();
        frozen.stop();
        cluster.matchmaker.register(new io.meshrpc.matchmaker.NodeRef("compute-1", endpoint),
                java.util.Set.of("compute"));
        Target target = Target.topic("compute").server("compute-1");
        for (int i = 0; i < 3; i++) {
            sender.client().cast(target, "buildInstance", "vm-" + i);
        }
        CompletableFuture<Void> fourth = sender.client().cast(target, "buildInstance", "vm-4");
        assertThatThrownBy(() -> fourth.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(NoRouteException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(NoRouteException.Reason.PEER_QUEUE_FULL));
    }

    @Test
    void connectionsAreCappedByMaxPeersAndIdleOnesAreReused() throws Exception {
        for (int i = 1; i <= 4; i++) {
            cluster.start("sched-" + i, new Scheduler("sched-" + i));
        }
        MeshNode sender = cluster.start(MeshNode.builder().nodeId("api-1")
                .zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT).withLimits(2, 100)));
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i <= 4; i++) {
                Object who = sender.client().invoke(Target.topic("scheduler").server("sched-" + i), "whoami",
                        String.class, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                assertThat(who).isEqualTo("sched-" + i);
                assertThat(sender.metrics().registry().get(RpcMetrics.PEERS_CONNECTED).gauge().value())
                        .isLessThanOrEqualTo(2);
            }
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        cluster.start("sched-1", new Scheduler("sched-1"));
        MeshNode sender = cluster.start(MeshNode.builder().nodeId("api-1")
                .zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT).withIdleTimeout(Duration.ofMillis(50))));
        sender.client().invoke(Target.topic("scheduler"), "whoami", String.class, null).get(10, TimeUnit.SECONDS);
        Awaitility.await().until(() -> sender.metrics().registry().get(RpcMetrics.PEERS_CONNECTED).gauge().value() == 0);
        Object again = sender.client().invoke(Target.topic("scheduler"), "whoami", String.class, null)
                .get(10, TimeUnit.SECONDS);
        assertThat(again).as("a closed idle connection is reopened on demand").isEqualTo("sched-1");
    }

    @Test
    void stopDrainsAcceptedCallsBeforeClosing() throws Exception {
        Blocking blocking = new Blocking();
        MeshNode server = cluster.start("slow-1", blocking);
        RpcClient rpc = cluster.start("api-1").client();
        CompletableFuture<String> call = rpc.call(Target.topic("blocking"), "work", "vm-1", String.class,
                Duration.ofSeconds(20));
        assertThat(blocking.started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        Awaitility.await().until(() -> server.report().queues().dispatchQueueDepth() == 0 && !stopping.isDone());
        blocking.release.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("done vm-1");
        stopping.get(10, TimeUnit.SECONDS);
    }

    @RpcEndpoint(topic = "blocking")
    static final class Blocking {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public void hold() throws InterruptedException {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
        }

        public String work(String name) throws InterruptedException {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
            return "done " + name;
        }
    }

    @Test
    void callsBeyondTheInFlightLimitFailAtOnceAndCallingResumesWhenRepliesArrive() throws Exception {
        cluster.start("sched-1", new Scheduler("sched-1"));
        MeshNode caller = cluster.start(MeshNode.builder().nodeId("api-1").maxInFlightCalls(3)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT)));
        List<CompletableFuture<String>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(caller.client().call(Target.topic("scheduler"), "slow", 1_000L, String.class, Duration.ofSeconds(10)));
        }

        CompletableFuture<String> fourth = caller.client().call(Target.topic("scheduler"), "whoami", null, String.class,
                Duration.ofSeconds(10));

        assertThatThrownBy(() -> fourth.get(1, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(NoRouteException.class, ex -> {
                    assertThat(ex.reason()).isEqualTo(NoRouteException.Reason.TOO_MANY_IN_FLIGHT);
                    assertThat(ex.getMessage()).contains("meshrpc.max-in-flight-calls").contains("scheduler.whoami");
                });
        CompletableFuture.allOf(slow.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(caller.client().<String>invoke(Target.topic("scheduler"), "whoami", String.class,
                Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS)).isEqualTo("sched-1");
    }
}
