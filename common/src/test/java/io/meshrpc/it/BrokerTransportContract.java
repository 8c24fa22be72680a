package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.amqp.AmqpTopology;

/**
 * What the broker transport promises, run against each real broker by a subclass: RabbitMQ and
 * Apache Qpid Broker-J, through one implementation.
 */
abstract class BrokerTransportContract {

    private static final RoutingSettings BROKER_ONLY = RoutingSettings.of(DeliveryPolicy.AMQP);

    BrokerCluster cluster;

    abstract String host();

    abstract int port();

    abstract String prefix();

    @BeforeEach
    void startCluster() {
        cluster = new BrokerCluster(host(), port(), prefix());
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void castThroughTheBrokerIsConfirmedAndHandledOnce() throws Exception {
        Endpoints.Compute compute = new Endpoints.Compute("c1");
        MeshNode receiver = cluster.start("c1", BROKER_ONLY, compute);
        MeshNode sender = cluster.start("api", BROKER_ONLY);
        compute.latch = new CountDownLatch(1);

        sender.client().cast(Target.topic("compute").server("c1"), "build_instance", "vm-1").get(10, TimeUnit.SECONDS);

        assertThat(compute.latch.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(compute.handled.get("vm-1").get()).isEqualTo(1);
        // the meter is counted by a callback of the confirm, which may run just after the caller's future
        Awaitility.await().untilAsserted(() -> assertThat(
                sender.metrics().count(RpcMetrics.SENT, "transport", "amqp", "outcome", "ok")).isEqualTo(1));
        Awaitility.await().untilAsserted(() -> assertThat(
                receiver.metrics().count(RpcMetrics.RECEIVED, "transport", "amqp", "outcome", "handled")).isEqualTo(1));
        assertThat(sender.metrics().count(RpcMetrics.SENT, "transport", "zmq")).isZero();
    }

    @Test
    void callThroughTheBrokerIsAnsweredOnTheCallersReplyQueue() throws Exception {
        cluster.start("s1", BROKER_ONLY, new Endpoints.Scheduler("s1"));
        MeshNode caller = cluster.start("api", BROKER_ONLY);

        int sum = caller.client().<Integer>invoke(Target.topic("scheduler").server("s1"), "add", Integer.class,
                Duration.ofSeconds(10), 2, 3).get(15, TimeUnit.SECONDS);

        assertThat(sum).isEqualTo(5);
        Awaitility.await().untilAsserted(() -> assertThat(
                caller.metrics().count(RpcMetrics.RECEIVED, "transport", "amqp", "kind", "REPLY")).isEqualTo(1));
    }

    @Test
    void topicCastGoesToExactlyOneNodeOfTheTopic() throws Exception {
        Endpoints.Compute a = new Endpoints.Compute("a");
        Endpoints.Compute b = new Endpoints.Compute("b");
        cluster.start("a", BROKER_ONLY, a);
        cluster.start("b", BROKER_ONLY, b);
        MeshNode sender = cluster.start("api", BROKER_ONLY);
        CountDownLatch all = new CountDownLatch(40);
        a.latch = all;
        b.latch = all;

        List<CompletableFuture<Void>> casts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            casts.add(sender.client().cast(Target.topic("compute"), "build_instance", "vm-" + i));
        }
        CompletableFuture.allOf(casts.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);

        assertThat(all.await(15, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 40; i++) {
            int handled = count(a, "vm-" + i) + count(b, "vm-" + i);
            assertThat(handled).as("vm-%d handled", i).isEqualTo(1);
        }
    }

    @Test
    void fanoutThroughTheBrokerReachesEveryNode() throws Exception {
        Endpoints.Compute a = new Endpoints.Compute("a");
        Endpoints.Compute b = new Endpoints.Compute("b");
        cluster.start("a", BROKER_ONLY, a);
        cluster.start("b", BROKER_ONLY, b);
        MeshNode sender = cluster.start("api", BROKER_ONLY);
        a.latch = new CountDownLatch(1);
        b.latch = new CountDownLatch(1);

        sender.client().fanout("compute", "refreshFlavors", "v2").get(10, TimeUnit.SECONDS);

        assertThat(a.latch.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(b.latch.await(10, TimeUnit.SECONDS)).isTrue();
        Awaitility.await().untilAsserted(() -> assertThat(
                sender.metrics().count(RpcMetrics.SENT, "transport", "amqp")).isEqualTo(1));
    }

    @Test
    void castToANodeWithNoBrokerQueueFailsWithAPreciseNoRoute() throws Exception {
        cluster.start("c1", BROKER_ONLY, new Endpoints.Compute("c1"));
        MeshNode sender = cluster.start("api", BROKER_ONLY);

        CompletableFuture<Void> cast = sender.client().cast(Target.topic("compute").server("ghost"), "build_instance", "x");

        assertThatThrownBy(() -> cast.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NoRouteException.class)
                .hasMessageContaining("no queue for node ghost")
                .satisfies(e -> assertThat(((NoRouteException) e).reason()).isEqualTo(NoRouteException.Reason.NO_NODES));
    }

    @Test
    void malformedMessageOnTheBrokerIsRejectedAndTheNodeKeepsWorking() throws Exception {
        Endpoints.Compute compute = new Endpoints.Compute("c1");
        MeshNode receiver = cluster.start("c1", BROKER_ONLY, compute);
        MeshNode sender = cluster.start("api", BROKER_ONLY);
        AmqpTopology names = new AmqpTopology(cluster.amqpSettings);
        RabbitTemplate raw = new RabbitTemplate(cluster.connections());

        raw.send(names.exchange(), names.nodeKey("compute", "c1"), new Message("{not json".getBytes(), new MessageProperties()));
        raw.send(names.exchange(), names.nodeKey("compute", "c1"), new Message(new byte[0], new MessageProperties()));
        compute.latch = new CountDownLatch(1);
        sender.client().cast(Target.topic("compute").server("c1"), "build_instance", "after").get(10, TimeUnit.SECONDS);

        assertThat(compute.latch.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(receiver.metrics().count(RpcMetrics.RECEIVED, "transport", "amqp", "outcome", "rejected")).isEqualTo(2);
    }

    private static int count(Endpoints.Compute compute, String id) {
        var n = compute.handled.get(id);
        return n == null ? 0 : n.get();
    }
}
