package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.node.RoutingSettings;

/**
 * The broker goes away and comes back: each test stops a Qpid Broker-J it started itself and
 * starts a new one on the same port, never touching the machine's shared RabbitMQ.
 */
class BrokerOutageTest {

    private EmbeddedQpidBroker broker;
    private BrokerCluster cluster;

    @AfterEach
    void stopAll() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void brokerStoppedDuringZmqTrafficLeavesZmqUndisturbedAndBrokerSendsRecoverWithoutARestart() throws Exception {
        broker = EmbeddedQpidBroker.start();
        int port = broker.port();
        cluster = new BrokerCluster("127.0.0.1", port, "");
        Endpoints.Compute b = new Endpoints.Compute("b");
        cluster.start("b", FailoverTest.ZMQ_FIRST, b);
        RoutingSettings computeByZmqSchedulerByBroker = new RoutingSettings(DeliveryPolicy.ZMQ_FIRST,
                Map.of("scheduler", DeliveryPolicy.AMQP), Duration.ofMinutes(5));
        cluster.start("s", FailoverTest.ZMQ_FIRST, new Endpoints.Scheduler("s"));
        MeshNode sender = cluster.start("api", computeByZmqSchedulerByBroker);

        broker.close();
        b.latch = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            sender.client().cast(Target.topic("compute").server("b"), "build_instance", "vm-" + i).get(10, TimeUnit.SECONDS);
        }
        assertThat(b.latch.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sender.metrics().count(RpcMetrics.SENT, "transport", "zmq", "outcome", "ok")).isEqualTo(200);
        assertThatThrownBy(() -> sender.client().cast(Target.topic("scheduler").server("s"), "refresh", "down")
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(NoRouteException.class).hasMessageContaining("broker unreachable")
                .satisfies(e -> assertThat(((NoRouteException) e).reason())
                        .isEqualTo(NoRouteException.Reason.TRANSPORT_UNAVAILABLE));

        broker = EmbeddedQpidBroker.start(port);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    sender.client().<String>invoke(Target.topic("scheduler").server("s"), "whoami", String.class,
                            Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
                    return true;
                });
        assertThat(sender.metrics().count(RpcMetrics.SENT, "transport", "amqp", "outcome", "ok")).isPositive();
        assertThat(sender.metrics().registry().get(RpcMetrics.CONSUMER_RESTARTS).counter().count())
                .as("the broker consumer was restarted after the outage, and counted").isPositive();
    }

    @Test
    void confirmedCastsSurviveABrokerRestartAndTheNodeReconnectsByItself(@TempDir Path store) throws Exception {
        broker = EmbeddedQpidBroker.startPersistent(0, store);
        int port = broker.port();
        cluster = new BrokerCluster("127.0.0.1", port, "");
        RoutingSettings brokerOnly = RoutingSettings.of(DeliveryPolicy.AMQP);
        MeshNode first = cluster.start("b", brokerOnly, new Endpoints.Compute("b"));
        first.stop();
        MeshNode sender = cluster.start("api", brokerOnly);
        for (int i = 0; i < 20; i++) {
            sender.client().cast(Target.topic("compute").server("b"), "build_instance", "before-" + i).get(10, TimeUnit.SECONDS);
        }

        broker.close();
        broker = EmbeddedQpidBroker.startPersistent(port, store);
        Endpoints.Compute b = new Endpoints.Compute("b");
        cluster.start("b", brokerOnly, b);
        AtomicInteger probes = new AtomicInteger();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    sender.client().cast(Target.topic("compute").server("b"), "build_instance",
                            "probe-" + probes.incrementAndGet()).get(5, TimeUnit.SECONDS);
                    return true;
                });
        for (int i = 0; i < 20; i++) {
            sender.client().cast(Target.topic("compute").server("b"), "build_instance", "after-" + i).get(10, TimeUnit.SECONDS);
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("before-" + i);
            expected.add("after-" + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(b.handled).containsKeys(
                expected.toArray(String[]::new)));
        assertThat(expected).allSatisfy(id -> assertThat(b.handled.get(id).get()).as(id).isEqualTo(1));
    }
}
