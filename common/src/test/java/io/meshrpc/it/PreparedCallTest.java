package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcOptions;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.api.VersionCapException;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.it.Endpoints.InventoryTwo;
import io.meshrpc.it.Endpoints.Scheduler;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.testsupport.EnabledIfRabbitMq;
import io.meshrpc.testsupport.RabbitMq;

/**
 * {@code prepare(...)}: each per-call override, over real ZeroMQ sockets (and RabbitMQ for the
 * policy), and the same overrides on an {@link RpcInterface} proxy through {@link RpcOptions}.
 */
class PreparedCallTest {

    /** The scheduler's slow method with a 300 ms deadline for every call of the interface. */
    @RpcInterface(topic = "scheduler")
    @RpcOptions(timeoutMillis = 300)
    interface ImpatientScheduler {
        String slow(long millis);

        @RpcOptions(timeoutMillis = 5_000)
        String whoami();
    }

    /** The compute agent's build, through the broker and sent again while it is not delivered. */
    @RpcInterface(topic = "compute")
    interface BrokerCompute {
        @RpcOptions(policy = DeliveryPolicy.AMQP)
        void buildInstance(String id);
    }

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aPreparedTimeoutEndsACallLongBeforeTheNodesDefault() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        MeshNode api = cluster.start("api-1"); // the cluster's default timeout is 10 s

        CompletableFuture<String> call = api.client().prepare(Target.topic("scheduler"))
                .timeout(Duration.ofMillis(300)).call("slow", String.class, 5_000L);

        assertThatThrownBy(() -> call.get(4, TimeUnit.SECONDS)).as("failed at the prepared 300 ms, not at 10 s")
                .cause().isInstanceOf(RpcTimeoutException.class).hasMessageContaining("scheduler.slow");
    }

    @Test
    void aPreparedVersionCapRefusesAVersionAboveItWithoutSendingIt() throws Exception {
        cluster.start("inv-1", new InventoryTwo());
        MeshNode api = cluster.start("api-1"); // no cap configured
        var prepared = api.client().prepare(Target.topic("inventory")).versionCap("2.0");

        assertThat(prepared.canSendVersion("2.1")).isFalse();
        assertThat(prepared.canSendVersion("2.0")).isTrue();
        assertThatThrownBy(() -> prepared.version("2.1").call("served", String.class).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(VersionCapException.class).hasMessageContaining("above the cap 2.0");
        assertThat(api.metrics().registry().find(RpcMetrics.SENT).counters()).as("nothing was sent").isEmpty();
        assertThat(prepared.version("2.0").call("served", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("2.1");
    }

    @Test
    void aPreparedCastIsSentAgainUntilItsNodeIsThereAndHandledOnce() throws Exception {
        MeshNode api = cluster.start("api-1");
        Target late = Target.topic("compute").server("late-1");
        assertThatThrownBy(() -> api.client().cast(late, "build_instance", "without retries").get(5, TimeUnit.SECONDS))
                .as("the same cast, not prepared, fails").cause().isInstanceOf(NoRouteException.class);

        CompletableFuture<Void> cast = api.client().prepare(late).castRetries(30).cast("build_instance", "vm-1");
        double undeliveredBefore = undelivered(api);
        org.awaitility.Awaitility.await("a retry failed too").atMost(Duration.ofSeconds(10))
                .until(() -> undelivered(api) > undeliveredBefore);
        Compute compute = new Compute("late-1");
        cluster.start("late-1", compute);

        cast.get(20, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> compute.total.get() == 1);
        assertThat(compute.handled.get("vm-1").get()).isEqualTo(1);
    }

    @Test
    void theProxysOptionsApplyPerInterfaceAndAMethodsOwnReplaceThem() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        ImpatientScheduler scheduler = cluster.start("api-1").client().proxy(ImpatientScheduler.class);

        assertThatThrownBy(() -> scheduler.slow(5_000)).isInstanceOf(RpcTimeoutException.class);
        assertThat(scheduler.whoami()).isEqualTo("sched-1");
    }

    private static double undelivered(MeshNode node) {
        return node.metrics().registry().find(RpcMetrics.SENT).tag("transport", "none").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** The policy override, where a broker exists: RabbitMQ, a prefix of its own. */
    @Nested
    @EnabledIfRabbitMq
    class ThroughTheBroker {

        private final BrokerCluster cluster = new BrokerCluster(RabbitMq.host(), RabbitMq.port(),
                RabbitMq.uniquePrefix()).routing(RoutingSettings.of(DeliveryPolicy.ZMQ));

        @AfterEach
        void stop() {
            cluster.close();
        }

        @Test
        void aPreparedPolicySendsThroughTheBrokerWhereTheTopicIsZeroMqOnly() throws Exception {
            Compute compute = new Compute("c-1");
            cluster.start("c-1", compute);
            MeshNode api = cluster.start("api-1");
            compute.latch = new java.util.concurrent.CountDownLatch(2);

            api.client().prepare(Target.topic("compute").server("c-1")).policy(DeliveryPolicy.AMQP)
                    .cast("build_instance", "by broker").get(10, TimeUnit.SECONDS);
            api.client().proxy(BrokerCompute.class, "c-1").buildInstance("by broker, from the proxy");

            assertThat(compute.latch.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sent(api, "amqp")).isEqualTo(2);
            assertThat(sent(api, "zmq")).as("the configured policy, zmq, was not used").isZero();
        }

        private double sent(MeshNode node, String transport) {
            return node.metrics().registry().find(RpcMetrics.SENT).tag("transport", transport).tag("topic", "compute")
                    .counters().stream().mapToDouble(c -> c.count()).sum();
        }
    }
}
