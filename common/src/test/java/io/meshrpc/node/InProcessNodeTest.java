package io.meshrpc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.Route;
import io.meshrpc.transport.inprocess.InProcessNetwork;
import io.meshrpc.transport.inprocess.InProcessTransport;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;

/**
 * Whole nodes — client, pending-call table, dispatcher — on the in-process transport: calls, replies,
 * dedup and failover in milliseconds, with the same rules the real-socket tests check.
 */
class InProcessNodeTest {

    private final InProcessNetwork network = new InProcessNetwork();
    private final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private final List<MeshNode> nodes = new ArrayList<>();

    @RpcEndpoint(topic = "compute")
    public static final class Compute {
        final AtomicInteger builds = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch slowStarted = new CountDownLatch(1);

        public String build(String name) {
            builds.incrementAndGet();
            return name + " built";
        }

        public String fail(String why) {
            throw new IllegalStateException(why);
        }

        public String slow() throws InterruptedException {
            slowStarted.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "late";
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(MeshNode::stop);
    }

    private MeshNode node(String id, Object... endpoints) {
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(matchmaker).inProcess(network, true)
                .endpoints(endpoints).build().start();
        nodes.add(node);
        return node;
    }

    @Test
    void aCallIsAnsweredWithTheEndpointsResult() throws Exception {
        node("c1", new Compute());
        MeshNode caller = node("caller");

        String result = caller.client().call(Target.topic("compute"), "build", "vm1", String.class,
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("vm1 built");
        assertThat(caller.metrics().count(RpcMetrics.RECEIVED, "transport", "zmq", "kind", "REPLY",
                "outcome", "handled")).isEqualTo(1);
    }

    @Test
    void aRemoteFailureReachesTheCallerAsARemoteException() {
        node("c1", new Compute());
        MeshNode caller = node("caller");

        Throwable error = catchThrowable(() -> caller.client().call(Target.topic("compute"), "fail", "disk full", String.class,
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));

        assertThat(error).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RemoteException.class)
                .hasMessageContaining("disk full");
    }

    @Test
    void aCallToACutOffNodeGoesThroughTheBrokerAndItsReplyComesBackThatWay() throws Exception {
        Compute compute = new Compute();
        node("c1", compute);
        MeshNode caller = node("caller");
        network.cut("c1");

        String result = caller.client().call(Target.topic("compute").server("c1"), "build", "vm2", String.class,
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("vm2 built");
        assertThat(compute.builds).hasValue(1);
        assertThat(caller.metrics().count(RpcMetrics.RECEIVED, "transport", "amqp", "kind", "REPLY")).isEqualTo(1);
        assertThat(caller.metrics().count(RpcMetrics.FAILOVERS, "reason", "no-ack")).isEqualTo(1);
    }

    @Test
    void aReplyWhosePathIsGoneGoesToTheCallersBrokerReplyQueueAndIsCountedOnEach() throws Exception {
        Compute compute = new Compute();
        MeshNode server = node("c1", compute);
        MeshNode caller = node("caller");
        CompletableFuture<String> call = caller.client().invoke(Target.topic("compute"), "slow", String.class,
                Duration.ofSeconds(10));
        assertThat(compute.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();

        network.cut("caller");
        compute.release.countDown();

        assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("late");
        assertThat(caller.metrics().count(RpcMetrics.RECEIVED, "transport", "amqp", "kind", "REPLY")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(server.metrics().count(RpcMetrics.SENT, "transport", "zmq", "kind", "REPLY", "outcome", "error"))
                    .isEqualTo(1);
            assertThat(server.metrics().count(RpcMetrics.SENT, "transport", "amqp", "kind", "REPLY", "outcome", "ok"))
                    .isEqualTo(1);
            assertThat(server.metrics().count(RpcMetrics.FAILOVERS, "reason", "reply-connection-gone")).isEqualTo(1);
        });
    }

    @Test
    void theSameMessageArrivingTwiceIsAcknowledgedTwiceAndHandledOnce() throws Exception {
        Compute compute = new Compute();
        MeshNode receiver = node("c1", compute);
        EnvelopeCodec codec = new EnvelopeCodec(MeshNode.defaultMapper(), 1 << 20);
        InProcessTransport sender = InProcessTransport.direct("raw", network, codec);
        sender.start(new Inbound(null, null), Set.of());
        Envelope header = Envelope.request("dup-1", Kind.CAST, "compute", "c1", false, "build", null, Map.of(),
                null, 0, "raw");
        OutboundMessage cast = new OutboundMessage(codec.encodeRequest(header, new Object[] {"vm3"}));
        Route route = new Route.ToNode("compute", new NodeRef("c1", receiver.endpoint()));

        sender.send(route, cast).get(5, TimeUnit.SECONDS);
        sender.send(route, cast).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.metrics().count(RpcMetrics.RECEIVED,
                "outcome", "duplicate") == 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(compute.builds).hasValue(1));
        sender.close();
    }

    @Test
    void aReplyAfterTheDeadlineFindsNoCallAndIsCountedAsADuplicate() throws Exception {
        Compute compute = new Compute();
        node("c1", compute);
        MeshNode caller = node("caller");

        CompletableFuture<String> call = caller.client().invoke(Target.topic("compute"), "slow", String.class,
                Duration.ofMillis(200));
        Throwable error = catchThrowable(() -> call.get(5, TimeUnit.SECONDS));
        compute.release.countDown();

        assertThat(error).cause().isInstanceOf(RpcTimeoutException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.metrics().count(RpcMetrics.RECEIVED, "kind",
                "REPLY", "outcome", "duplicate") == 1);
    }

    @Test
    void stoppingTheCallerFailsItsWaitingCallsAtOnce() throws Exception {
        Compute compute = new Compute();
        node("c1", compute);
        MeshNode caller = node("caller");
        CompletableFuture<String> call = caller.client().invoke(Target.topic("compute"), "slow", String.class,
                Duration.ofSeconds(30));
        assertThat(compute.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();

        caller.stop();
        compute.release.countDown();

        assertThat(catchThrowable(() -> call.get(5, TimeUnit.SECONDS))).cause()
                .isInstanceOf(NoRouteException.class).hasMessageContaining("is stopping");
    }

    @Test
    void aDrainingNodeRefusesSoTheTopicsOtherNodeTakesTheCall() throws Exception {
        Compute first = new Compute();
        Compute second = new Compute();
        MeshNode draining = node("c1", first);
        node("c2", second);
        MeshNode caller = node("caller");
        // the node still receives (its registration is what a stop removes first) but refuses
        matchmaker.deregister("c2");
        draining.stop();
        matchmaker.register(new NodeRef("c1", InProcessTransport.SCHEME + "c1"), Set.of("compute"));
        matchmaker.register(new NodeRef("c2", InProcessTransport.SCHEME + "c2"), Set.of("compute"));

        for (int i = 0; i < 4; i++) {
            assertThat(caller.client().call(Target.topic("compute"), "build", "vm" + i, String.class,
                    Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)).endsWith("built");
        }

        assertThat(first.builds).hasValue(0);
        assertThat(second.builds).hasValue(4);
    }
}
