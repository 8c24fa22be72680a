package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * Sends to more nodes than {@code meshrpc.zmq.max-peers}: they wait for a connection to be freed
 * and go out over ZeroMQ in waves, never over more sockets than allowed, and the wait is bounded.
 * One real sender; the receivers are bare ROUTERs that ACK as the wire format says.
 */
class FanoutPastMaxPeersTest {

    private static final String TOPIC = "wide";

    private final TestCluster cluster = new TestCluster();
    private AckingReceivers receivers;
    private AckingReceivers silent;

    @AfterEach
    void stop() {
        cluster.close();
        if (receivers != null) {
            receivers.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    @Test
    void fanoutPastMaxPeersReachesEveryReceiverOnceOverZmq() throws Exception {
        int count = 300;
        receivers = AckingReceivers.acking(count);
        for (int i = 0; i < count; i++) {
            register(receivers, "r-", i);
        }
        MeshNode sender = sender(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT).withLimits(16, 1000),
                DeliveryPolicy.ZMQ);

        sender.client().fanout(TOPIC, "refresh", 1).get(30, TimeUnit.SECONDS);

        assertThat(receivers.awaitAllReached(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < count; i++) {
            assertThat(receivers.received(i)).as("envelopes received by r-%d", i).isEqualTo(1);
        }
        assertThat(sent(sender, "zmq", "ok")).isEqualTo(count);
        assertThat(sender.metrics().count(RpcMetrics.SENT, "outcome", "error")).isZero();
        assertThat(TestCluster.peersHighWaterMark(sender)).as("most sockets held at once").isEqualTo(16);
        assertThat(sender.metrics().registry().get(RpcMetrics.PEERS_CONNECTED).gauge().value())
                .isLessThanOrEqualTo(16);
    }

    @Test
    void zmqFirstFanoutPastMaxPeersFallsBackOnlyForTheNodesThatDoNotAck() throws Exception {
        int count = 40;
        receivers = AckingReceivers.acking(count);
        silent = AckingReceivers.silent(4);
        for (int i = 0; i < count; i++) {
            if (i % 10 == 0) {
                // A silent node in each of the first waves: each holds its connection for an ACK timeout.
                register(silent, "silent-", i / 10);
            }
            register(receivers, "r-", i);
        }
        MeshNode sender = sender(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT).withLimits(8, 100),
                DeliveryPolicy.ZMQ_FIRST);

        CompletableFuture<Void> fanout = sender.client().fanout(TOPIC, "refresh", 1);

        // No broker on this node: the fallback of the four silent nodes fails, and names them.
        assertThatThrownBy(() -> fanout.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(NoRouteException.class)
                .hasMessageContaining("reached 40 of 44 nodes")
                .hasMessageContaining("silent-0: ").hasMessageContaining("silent-3: ")
                .hasMessageNotContaining("r-");
        assertThat(failovers(sender, "no-ack")).isEqualTo(4);
        assertThat(failovers(sender, "peer-busy")).as("waiting for a connection is no reason to fall back").isZero();
        assertThat(sent(sender, "zmq", "ok")).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(receivers.received(i)).as("envelopes received by r-%d", i).isEqualTo(1);
        }
        assertThat(TestCluster.peersHighWaterMark(sender)).isEqualTo(8);
    }

    @Test
    void sendsWaitingForAConnectionFailWithNoFreeConnectionWhenNoneIsFreedWithinTheAckTimeout() {
        receivers = AckingReceivers.acking(2);
        register(receivers, "r-", 0);
        register(receivers, "r-", 1);
        MeshNode sender = sender(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT).withLimits(1, 100),
                DeliveryPolicy.ZMQ);
        // Acknowledged, never answered: the only connection stays owed a reply for 30 s.
        CompletableFuture<String> held = sender.client().call(server(0), "slow", 1, String.class,
                Duration.ofSeconds(30));
        Awaitility.await().until(() -> receivers.received(0) == 1);

        CompletableFuture<Void> waiting = sender.client().cast(server(1), "refresh", 1);

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(NoRouteException.class, ex -> {
                    assertThat(ex.reason()).isEqualTo(NoRouteException.Reason.NO_FREE_CONNECTION);
                    assertThat(ex.getMessage()).contains("r-1", "was freed within 1000 ms");
                });
        assertThat(receivers.received(1)).isZero();
        assertThat(held).isNotDone();
        assertThat(TestCluster.markedDown(sender, "r-1")).as("a node never tried is not down").isFalse();
    }

    @Test
    void aSendFailsAtOnceWithNoFreeConnectionWhenTheWaitingQueueIsFull() throws Exception {
        receivers = AckingReceivers.acking(4);
        for (int i = 0; i < 4; i++) {
            register(receivers, "r-", i);
        }
        // max-pending-per-peer 2: at most two sends wait for a connection.
        MeshNode sender = sender(ZmqSettings.loopback(0).withAckTimeout(Duration.ofSeconds(30)).withLimits(1, 2),
                DeliveryPolicy.ZMQ);
        sender.client().call(server(0), "slow", 1, String.class, Duration.ofSeconds(30));
        CompletableFuture<Void> second = sender.client().cast(server(1), "refresh", 1);
        CompletableFuture<Void> third = sender.client().cast(server(2), "refresh", 1);

        CompletableFuture<Void> fourth = sender.client().cast(server(3), "refresh", 1);

        assertThatThrownBy(() -> fourth.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(NoRouteException.class, ex -> {
                    assertThat(ex.reason()).isEqualTo(NoRouteException.Reason.NO_FREE_CONNECTION);
                    assertThat(ex.getMessage()).contains("r-3", "2 sends wait for one already");
                });
        assertThat(second).isNotDone();
        assertThat(third).isNotDone();
    }

    private MeshNode sender(ZmqSettings zmq, DeliveryPolicy policy) {
        return cluster.start(MeshNode.builder().nodeId("api-1").zmq(zmq).routing(RoutingSettings.of(policy)));
    }

    private void register(AckingReceivers set, String prefix, int receiver) {
        cluster.matchmaker.register(new NodeRef(prefix + receiver, set.endpoint(receiver)), Set.of(TOPIC));
    }

    private static Target server(int receiver) {
        return Target.topic(TOPIC).server("r-" + receiver);
    }

    private static double sent(MeshNode node, String transport, String outcome) {
        return node.metrics().count(RpcMetrics.SENT, "transport", transport, "outcome", outcome);
    }

    private static double failovers(MeshNode node, String reason) {
        return node.metrics().count(RpcMetrics.FAILOVERS, "reason", reason);
    }
}
