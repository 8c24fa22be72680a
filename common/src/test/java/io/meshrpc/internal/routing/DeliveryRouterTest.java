package io.meshrpc.internal.routing;

import static io.meshrpc.internal.routing.InProcessFleet.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.internal.routing.InProcessFleet.Receiver;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.Route;
import io.meshrpc.transport.SendListener;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;

/**
 * The routing and failover matrix — delivery policy × the target node's state × the failure — over
 * the in-process transport: every cell says which transport took the message, which node got it
 * once, what failed over and why, and what the caller is told when nothing could take it. The same
 * rules run over real sockets and brokers in {@code FailoverTest} and {@code BrokerOutageTest}.
 */
class DeliveryRouterTest {

    private final InProcessFleet fleet = new InProcessFleet();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Nested
    class ToOneServer {

        @Test
        void zmqDeliversOverZeroMqToAnUpNode() {
            Receiver a = fleet.node("a");
            OutboundMessage cast = fleet.cast("a");

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ, true).deliver(server("a"), cast)))
                    .isEqualTo(TransportName.ZMQ);
            assertThat(a.received).containsExactly(cast.header().id());
            assertThat(fleet.sent(TransportName.ZMQ, "ok")).isEqualTo(1);
        }

        @Test
        void zmqFailsWithNoAckWhenTheNodeIsCutOffAndNeverTouchesTheBroker() {
            Receiver a = fleet.node("a");
            fleet.network.cut("a");

            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ, true).deliver(server("a"),
                    fleet.cast("a")));

            assertThat(error.reason()).isEqualTo(Reason.NOT_ACKNOWLEDGED);
            assertThat(a.received).isEmpty();
            assertThat(fleet.sent(TransportName.ZMQ, "no-ack")).isEqualTo(1);
            assertThat(fleet.sent(TransportName.AMQP, "ok")).isZero();
            assertThat(fleet.health.isDown("a")).isTrue();
        }

        @Test
        void zmqPassesARefusalOnToTheCaller() {
            Receiver a = fleet.node("a");
            a.directAnswer = Acceptance.OVERLOADED;

            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ, true).deliver(server("a"),
                    fleet.cast("a")));

            assertThat(error.reason()).isEqualTo(Reason.REFUSED);
            assertThat(error).hasMessageContaining("meshrpc.Overloaded");
            assertThat(fleet.sent(TransportName.ZMQ, "refused")).isEqualTo(1);
            assertThat(fleet.health.isDown("a")).as("a refusal is an answer: the peer is up").isFalse();
        }

        @Test
        void zmqFailsAtOnceWhenTheNodeHasNoEndpointAndCountsItUnsent() {
            fleet.brokerOnlyNode("a");

            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ, true).deliver(server("a"),
                    fleet.cast("a")));

            assertThat(error.reason()).isEqualTo(Reason.NO_NODES);
            assertThat(error).hasMessageContaining("server 'a' of topic 'compute'");
            assertThat(fleet.unsent()).isEqualTo(1);
        }

        @Test
        void zmqFirstDeliversOverZeroMqToAnUpNode() {
            Receiver a = fleet.node("a");

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(server("a"), fleet.cast("a"))))
                    .isEqualTo(TransportName.ZMQ);
            assertThat(a.via).containsExactly(TransportName.ZMQ);
            assertThat(fleet.failovers("no-ack")).isZero();
        }

        @Test
        void zmqFirstFailsOverToTheNodesBrokerQueueWhenItDoesNotAck() {
            Receiver a = fleet.node("a");
            fleet.network.cut("a");
            OutboundMessage cast = fleet.cast("a");

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(server("a"), cast)))
                    .isEqualTo(TransportName.AMQP);
            assertThat(a.received).as("the same message, once").containsExactly(cast.header().id());
            assertThat(a.via).containsExactly(TransportName.AMQP);
            assertThat(fleet.failovers("no-ack")).isEqualTo(1);
            assertThat(fleet.sent(TransportName.ZMQ, "no-ack")).isEqualTo(1);
            assertThat(fleet.sent(TransportName.AMQP, "ok")).isEqualTo(1);
        }

        @Test
        void zmqFirstFailsOverWhenTheNodeRefuses() {
            Receiver a = fleet.node("a");
            a.directAnswer = Acceptance.DRAINING;

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(server("a"), fleet.cast("a"))))
                    .isEqualTo(TransportName.AMQP);
            assertThat(a.via).containsExactly(TransportName.AMQP);
            assertThat(fleet.failovers("refused")).isEqualTo(1);
        }

        @Test
        void zmqFirstGoesToTheBrokerWhenTheNodeHasNoEndpoint() {
            Receiver a = fleet.brokerOnlyNode("a");

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(server("a"), fleet.cast("a"))))
                    .isEqualTo(TransportName.AMQP);
            assertThat(a.via).containsExactly(TransportName.AMQP);
            assertThat(fleet.failovers("no-endpoint")).isEqualTo(1);
        }

        @Test
        void zmqFirstSkipsZeroMqForAPeerMarkedDownUntilItsProbeIsDue() {
            Receiver a = fleet.node("a");
            fleet.health.markDown("a");

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(server("a"), fleet.cast("a"))))
                    .isEqualTo(TransportName.AMQP);
            assertThat(fleet.failovers("peer-down")).isEqualTo(1);
            assertThat(fleet.sent(TransportName.ZMQ, "ok") + fleet.sent(TransportName.ZMQ, "no-ack"))
                    .as("no ZeroMQ attempt").isZero();
            assertThat(a.via).containsExactly(TransportName.AMQP);
        }

        @Test
        void zmqFirstFailsWithTheBrokersReasonWhenBothPathsAreDown() {
            Receiver a = fleet.node("a");
            fleet.network.cut("a");
            fleet.network.brokerDown();

            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(server("a"),
                    fleet.cast("a")));

            assertThat(error.reason()).isEqualTo(Reason.TRANSPORT_UNAVAILABLE);
            assertThat(a.received).isEmpty();
            assertThat(fleet.sent(TransportName.AMQP, "error")).isEqualTo(1);
        }

        @Test
        void zmqFirstWithoutABrokerSaysTheBrokerIsNotEnabled() {
            fleet.node("a");
            fleet.network.cut("a");

            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ_FIRST, false).deliver(server("a"),
                    fleet.cast("a")));

            assertThat(error.reason()).isEqualTo(Reason.TRANSPORT_UNAVAILABLE);
            assertThat(error).hasMessageContaining("meshrpc.amqp.enabled=false");
        }

        @Test
        void amqpGoesToTheBrokerWithoutTryingZeroMq() {
            Receiver a = fleet.node("a");

            assertThat(done(fleet.router(DeliveryPolicy.AMQP, true).deliver(server("a"), fleet.cast("a"))))
                    .isEqualTo(TransportName.AMQP);
            assertThat(a.via).containsExactly(TransportName.AMQP);
            assertThat(fleet.sent(TransportName.ZMQ, "ok")).isZero();
            assertThat(fleet.failovers("no-ack") + fleet.failovers("peer-down")).as("not a failover").isZero();
        }

        @Test
        void amqpFailsWhenTheBrokerIsDown() {
            fleet.node("a");
            fleet.network.brokerDown();

            NoRouteException error = failure(fleet.router(DeliveryPolicy.AMQP, true).deliver(server("a"),
                    fleet.cast("a")));

            assertThat(error.reason()).isEqualTo(Reason.TRANSPORT_UNAVAILABLE);
        }

        @Test
        void aNodeOverrideWinsOverTheDefaultPolicy() {
            Receiver a = fleet.node("a");
            fleet.directory.policy("a", DeliveryPolicy.AMQP);

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ, true).deliver(server("a"), fleet.cast("a"))))
                    .isEqualTo(TransportName.AMQP);
            assertThat(a.via).containsExactly(TransportName.AMQP);
        }
    }

    @Nested
    class ToATopic {

        @Test
        void nodesTakeTurnsOverZeroMq() {
            Receiver a = fleet.node("a");
            Receiver b = fleet.node("b");
            DeliveryRouter router = fleet.router(DeliveryPolicy.ZMQ, true);

            for (int i = 0; i < 4; i++) {
                assertThat(done(router.deliver(Target.topic(TOPIC), fleet.cast(null)))).isEqualTo(TransportName.ZMQ);
            }

            assertThat(a.received).hasSize(2);
            assertThat(b.received).hasSize(2);
        }

        @Test
        void aNodeThatDoesNotAckIsSkippedForTheTopicsNextNodeBeforeTheBroker() {
            Receiver a = fleet.node("a");
            Receiver b = fleet.node("b");
            fleet.network.cut("a");
            DeliveryRouter router = fleet.router(DeliveryPolicy.ZMQ_FIRST, true);

            for (int i = 0; i < 2; i++) {
                assertThat(done(router.deliver(Target.topic(TOPIC), fleet.cast(null)))).isEqualTo(TransportName.ZMQ);
            }

            assertThat(a.received).isEmpty();
            assertThat(b.received).hasSize(2);
            assertThat(b.via).containsOnly(TransportName.ZMQ);
            assertThat(fleet.sent(TransportName.ZMQ, "no-ack")).as("a was tried once, then skipped as down")
                    .isEqualTo(1);
            assertThat(fleet.failovers("no-ack")).as("no message left ZeroMQ").isZero();
        }

        @Test
        void zmqFirstFallsBackToTheTopicsSharedQueueWhenNoNodeAcks() {
            Receiver a = fleet.node("a");
            Receiver b = fleet.node("b");
            fleet.network.cut("a");
            fleet.network.cut("b");
            OutboundMessage cast = fleet.cast(null);

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(Target.topic(TOPIC), cast)))
                    .isEqualTo(TransportName.AMQP);

            assertThat(a.received.size() + b.received.size()).as("one node of the topic got it, once").isEqualTo(1);
            assertThat(fleet.sent(TransportName.ZMQ, "no-ack")).isEqualTo(2);
            assertThat(fleet.failovers("no-ack")).isEqualTo(1);
        }

        @Test
        void zmqFailsWithTheLastErrorWhenNoNodeAcks() {
            fleet.node("a");
            fleet.node("b");
            fleet.network.cut("a");
            fleet.network.cut("b");

            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ, true).deliver(Target.topic(TOPIC),
                    fleet.cast(null)));

            assertThat(error.reason()).isEqualTo(Reason.NOT_ACKNOWLEDGED);
            assertThat(fleet.sent(TransportName.AMQP, "ok")).isZero();
        }

        @Test
        void zmqWithNoKnownNodeFailsAtOnce() {
            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ, true).deliver(Target.topic(TOPIC),
                    fleet.cast(null)));

            assertThat(error.reason()).isEqualTo(Reason.NO_NODES);
            assertThat(fleet.unsent()).isEqualTo(1);
        }

        @Test
        void zmqFirstWithNoKnownNodeQueuesOnTheBrokerForTheFirstNodeThatConsumes() {
            OutboundMessage cast = fleet.cast(null);

            assertThat(done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).deliver(Target.topic(TOPIC), cast)))
                    .isEqualTo(TransportName.AMQP);
            Receiver late = fleet.node("late");

            assertThat(late.received).containsExactly(cast.header().id());
        }

        @Test
        void aZmqNodeAfterAnAmqpNodeDoesNotOpenTheBrokerButTheAmqpNodeDoes() {
            Receiver a = fleet.node("a");
            Receiver b = fleet.node("b");
            fleet.directory.policy("b", DeliveryPolicy.AMQP);
            fleet.network.cut("a");
            DeliveryRouter router = fleet.router(DeliveryPolicy.ZMQ, true);

            // the rotation starts at a for the first message: a fails, b (amqp) allows the broker
            assertThat(done(router.deliver(Target.topic(TOPIC), fleet.cast(null)))).isEqualTo(TransportName.AMQP);
            assertThat(a.received.size() + b.received.size()).isEqualTo(1);
        }

        @Test
        void eachCandidatesPolicyIsResolvedOnceAndOnlyForTheNodesTried() {
            for (int i = 0; i < 5; i++) {
                fleet.node("n" + i);
            }
            fleet.network.cut("n0");
            DeliveryRouter router = fleet.router(DeliveryPolicy.ZMQ, true);

            done(router.deliver(Target.topic(TOPIC), fleet.cast(null)));

            assertThat(fleet.directory.policyLookups).as("n0 failed, n1 took it: two nodes, one look-up each")
                    .hasValue(2);
        }
    }

    @Nested
    class Fanout {

        @Test
        void everyNodeGetsItOnceEachByItsOwnPolicy() {
            Receiver up = fleet.node("up");
            Receiver viaBroker = fleet.node("via-broker");
            Receiver cut = fleet.node("cut");
            fleet.directory.policy("via-broker", DeliveryPolicy.AMQP);
            fleet.network.cut("cut");
            OutboundMessage cast = fleet.cast(null);

            done(fleet.router(DeliveryPolicy.ZMQ_FIRST, true).fanout(TOPIC, cast));

            assertThat(up.via).containsExactly(TransportName.ZMQ);
            assertThat(viaBroker.via).containsExactly(TransportName.AMQP);
            assertThat(cut.via).as("failed over to its own queue").containsExactly(TransportName.AMQP);
            assertThat(up.received).containsExactly(cast.header().id());
            assertThat(fleet.failovers("no-ack")).isEqualTo(1);
            assertThat(fleet.directory.policyLookups).as("one look-up per node").hasValue(3);
        }

        @Test
        void allAmqpGoesOutAsOneBrokerFanout() {
            Receiver a = fleet.node("a");
            Receiver b = fleet.node("b");

            done(fleet.router(DeliveryPolicy.AMQP, true).fanout(TOPIC, fleet.cast(null)));

            assertThat(a.via).containsExactly(TransportName.AMQP);
            assertThat(b.via).containsExactly(TransportName.AMQP);
            assertThat(fleet.sent(TransportName.AMQP, "ok")).as("one publish").isEqualTo(1);
        }

        @Test
        void zmqFanoutNamesTheNodesItDidNotReach() {
            Receiver a = fleet.node("a");
            fleet.node("b");
            fleet.network.cut("b");

            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ, true).fanout(TOPIC, fleet.cast(null)));

            assertThat(error.reason()).isEqualTo(Reason.NOT_ACKNOWLEDGED);
            assertThat(error).hasMessageContaining("reached 1 of 2").hasMessageContaining("b: ");
            assertThat(a.received).hasSize(1);
        }

        @Test
        void zmqFanoutToNoKnownNodeFailsAtOnce() {
            NoRouteException error = failure(fleet.router(DeliveryPolicy.ZMQ, true).fanout(TOPIC, fleet.cast(null)));

            assertThat(error.reason()).isEqualTo(Reason.NO_NODES);
        }
    }

    @Test
    void whatTheCallersOutcomeThrowsNeverReachesTheTransportThatTellsIt() {
        // A transport tells the router's listener on its own I/O thread: an exception thrown there
        // would unwind its loop, where a future's stage used to catch it.
        fleet.node("a");
        java.util.List<Throwable> reachedTransport = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transport tellsAtOnce = new TellingTransport(reachedTransport);
        DeliveryRouter router = new DeliveryRouter(fleet.directory, tellsAtOnce, null,
                new PolicyResolver(DeliveryPolicy.ZMQ, java.util.Map.of(), fleet.directory), fleet.health, fleet.metrics);

        router.deliver(server("a"), fleet.cast("a"), null, new DeliveryOutcome() {
            @Override
            public void delivered(TransportName transport) {
                throw new IllegalStateException("a bug of the caller's");
            }

            @Override
            public void failed(Throwable error) {
                throw new IllegalStateException("a bug of the caller's");
            }
        });

        assertThat(reachedTransport).isEmpty();
        assertThat(fleet.sent(TransportName.ZMQ, "ok")).as("counted before the outcome ran").isEqualTo(1);
    }

    /** A direct transport whose every send is taken at once, telling the listener on the sending thread. */
    private record TellingTransport(java.util.List<Throwable> thrownAtIt) implements Transport {

        @Override
        public TransportName name() {
            return TransportName.ZMQ;
        }

        @Override
        public void start(io.meshrpc.transport.Inbound inbound, java.util.Set<String> topics) {
        }

        @Override
        public CompletableFuture<Void> send(Route route, OutboundMessage message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void send(Route route, OutboundMessage message, SendListener listener) {
            try {
                listener.sent(null);
            } catch (RuntimeException ex) {
                thrownAtIt.add(ex);
            }
        }

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public void stopReceiving() {
        }

        @Override
        public void close() {
        }
    }

    private static Target server(String nodeId) {
        return Target.topic(TOPIC).server(nodeId);
    }

    private static <T> T done(CompletableFuture<T> future) {
        try {
            return future.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException ex) {
            throw new AssertionError("delivery did not complete", ex);
        }
    }

    private static NoRouteException failure(CompletableFuture<?> future) {
        Throwable error = catchThrowable(() -> future.get(5, TimeUnit.SECONDS));
        assertThat(error).isInstanceOf(ExecutionException.class).cause().isInstanceOf(NoRouteException.class);
        return (NoRouteException) error.getCause();
    }
}
