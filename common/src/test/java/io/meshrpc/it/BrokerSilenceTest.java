package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * The broker goes silent — its link drops every packet and closes nothing, as in a network partition —
 * while a node publishes to it. Each publish must still fail within {@code meshrpc.amqp.confirm-timeout},
 * also those queued behind a publish stuck in a socket write, instead of waiting for the AMQP heartbeat
 * to declare the connection dead. The broker is a Qpid Broker-J this test starts itself.
 */
class BrokerSilenceTest {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(1);

    private final Closeables closeables = new Closeables();

    @AfterEach
    void close() throws Exception {
        closeables.close();
    }

    @Test
    void everyPublishFailsWithinTheConfirmTimeoutWhileTheBrokerIsSilent() throws Exception {
        EmbeddedQpidBroker broker = closeables.keep(EmbeddedQpidBroker.start());
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        AmqpSettings settings = AmqpSettings.builder().prefix("silence.").confirmTimeout(CONFIRM_TIMEOUT).build();
        closeables.keep(MeshNode.builder().nodeId("r").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .amqp(QpidConnections.to(broker.port()), settings).endpoints(new Endpoints.Compute("r"))
                .build().start());
        SilentLink link = closeables.keep(new SilentLink(broker.port()));
        MeshNode sender = closeables.keep(
                QpidConnections.sendingThroughTheBroker("api", matchmaker, link.port(), settings));
        Target compute = Target.topic("compute").server("r");
        sender.client().cast(compute, "build_instance", "before").get(10, TimeUnit.SECONDS);

        link.silence();
        // far more than the socket buffers hold: the publisher thread ends up blocked in a write
        String large = "x".repeat(64 * 1024);
        List<CompletableFuture<Void>> casts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            casts.add(sender.client().cast(compute, "build_instance", large));
        }

        for (CompletableFuture<Void> cast : casts) {
            Throwable error = catchThrowable(() -> cast.get(20, TimeUnit.SECONDS));
            assertThat(error).as("a publish to a silent broker fails, and within the test's wait")
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NoRouteException.class)
                    .satisfies(e -> assertThat(((NoRouteException) e).reason())
                            .isEqualTo(NoRouteException.Reason.NOT_ACKNOWLEDGED))
                    .hasMessageContaining("did not confirm").hasMessageContaining(CONFIRM_TIMEOUT.toString());
        }
        link.restore();
    }

    @Test
    void aPublishWaitingForItsConfirmFailsAsUnconfirmedWhenTheConnectionIsDeclaredDead() throws Exception {
        EmbeddedQpidBroker broker = closeables.keep(EmbeddedQpidBroker.start());
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        closeables.keep(MeshNode.builder().nodeId("r").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .amqp(QpidConnections.to(broker.port()), AmqpSettings.builder().prefix("closed.").build())
                .endpoints(new Endpoints.Compute("r")).build().start());
        SilentLink link = closeables.keep(new SilentLink(broker.port()));
        // a confirm timeout far beyond the heartbeat: the connection's death must end the wait, not the sweep
        MeshNode sender = closeables.keep(MeshNode.builder().nodeId("api").matchmaker(matchmaker)
                .zmq(ZmqSettings.loopback(0))
                .amqp(QpidConnections.to(link.port()), AmqpSettings.builder().prefix("closed.")
                        .heartbeat(Duration.ofSeconds(1)).confirmTimeout(Duration.ofSeconds(60)).build())
                .routing(RoutingSettings.of(DeliveryPolicy.AMQP)).build().start());
        Target compute = Target.topic("compute").server("r");
        sender.client().cast(compute, "build_instance", "before").get(10, TimeUnit.SECONDS);

        link.silence();
        CompletableFuture<Void> cast = sender.client().cast(compute, "build_instance", "unconfirmed");

        Throwable error = catchThrowable(() -> cast.get(30, TimeUnit.SECONDS));
        assertThat(error).as("the publish fails once the heartbeat declares the connection dead")
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NoRouteException.class)
                .satisfies(e -> assertThat(((NoRouteException) e).reason())
                        .isEqualTo(NoRouteException.Reason.NOT_ACKNOWLEDGED))
                .hasMessageContaining("closed before the broker confirmed");
        link.restore();
    }

    @Test
    void aConsumerCutOffSilentlyIsDeclaredDeadByTheHeartbeatAndConsumesAgainOnceTheLinkIsBack() throws Exception {
        EmbeddedQpidBroker broker = closeables.keep(EmbeddedQpidBroker.start());
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        SilentLink link = closeables.keep(new SilentLink(broker.port()));
        Endpoints.Compute compute = new Endpoints.Compute("r");
        MeshNode receiver = closeables.keep(MeshNode.builder().nodeId("r").matchmaker(matchmaker)
                .zmq(ZmqSettings.loopback(0))
                .amqp(QpidConnections.to(link.port()), AmqpSettings.builder().prefix("heartbeat.")
                        .heartbeat(Duration.ofSeconds(1)).build())
                .endpoints(compute).build().start());
        MeshNode sender = closeables.keep(MeshNode.builder().nodeId("api").matchmaker(matchmaker)
                .zmq(ZmqSettings.loopback(0))
                .amqp(QpidConnections.to(broker.port()), AmqpSettings.builder().prefix("heartbeat.").build())
                .routing(RoutingSettings.of(DeliveryPolicy.AMQP)).build().start());
        Target r = Target.topic("compute").server("r");
        compute.latch = new java.util.concurrent.CountDownLatch(1);
        sender.client().cast(r, "build_instance", "before").get(10, TimeUnit.SECONDS);
        assertThat(compute.latch.await(10, TimeUnit.SECONDS)).isTrue();

        link.silence();
        // with the client's own 60 s heartbeat this would take two minutes; with 1 s, a few seconds
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.metrics().registry()
                .get(RpcMetrics.CONSUMER_RESTARTS).counter().count() > 0);
        Awaitility.await("a node cut off from its broker knows it").atMost(Duration.ofSeconds(10))
                .until(() -> receiver.state() == MeshNode.State.DETACHED);
        assertThat(receiver.stateReason()).contains("broker connection is down");
        compute.latch = new java.util.concurrent.CountDownLatch(1);
        sender.client().cast(r, "build_instance", "queued during the partition").get(10, TimeUnit.SECONDS);
        link.restore();

        assertThat(compute.latch.await(20, TimeUnit.SECONDS)).as("the cast queued during the partition arrives")
                .isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.state() == MeshNode.State.RUNNING);
    }

    @Test
    void aNodeStopsWhileItsBrokerIsSilent() throws Exception {
        EmbeddedQpidBroker broker = closeables.keep(EmbeddedQpidBroker.start());
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        SilentLink link = closeables.keep(new SilentLink(broker.port()));
        MeshNode node = MeshNode.builder().nodeId("r").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .amqp(QpidConnections.to(link.port()), AmqpSettings.builder().prefix("stop.")
                .heartbeat(Duration.ofSeconds(1))
                        .confirmTimeout(CONFIRM_TIMEOUT).build())
                .endpoints(new Endpoints.Compute("r")).routing(RoutingSettings.of(DeliveryPolicy.AMQP)).build().start();
        node.client().cast(Target.topic("compute").server("r"), "build_instance", "before").get(10, TimeUnit.SECONDS);
        link.silence();
        node.client().cast(Target.topic("compute").server("r"), "build_instance", "x".repeat(64 * 1024));

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(node::stop);

        assertThat(catchThrowable(() -> stopped.get(60, TimeUnit.SECONDS))).as("the node stopped").isNull();
        link.restore();
    }
}
