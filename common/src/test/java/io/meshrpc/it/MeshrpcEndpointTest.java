package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.actuate.MeshrpcEndpoint;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.NodeReport;
import io.meshrpc.node.NodeReport.Peer;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /actuator/meshrpc} between real nodes on loopback: peers, queues, dedup, matchmaker. */
class MeshrpcEndpointTest {

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aPeerThatStopsAckingWhileMessagesWaitIsSuspectBeforeItsAckTimeout() throws Exception {
        MeshNode compute = cluster.start("compute-1", new Endpoints.Compute("compute-1"));
        MeshNode api = cluster.start(MeshNode.builder().nodeId("api").zmq(ZmqSettings.loopback(0).toBuilder()
                .ackTimeout(Duration.ofMinutes(5)).heartbeatInterval(Duration.ofMillis(250))
                .heartbeatTimeout(Duration.ofSeconds(1)).build()));
        try (AckDelayingProxy slow = new AckDelayingProxy(compute.endpoint(), Duration.ofSeconds(4))) {
            cluster.matchmaker.register(new NodeRef("compute-1", slow.endpoint()), Set.of("compute"));
            Target target = Target.topic("compute").server("compute-1");
            api.client().cast(target, "build_instance", "acked late").get(30, TimeUnit.SECONDS);
            MeshrpcEndpoint endpoint = new MeshrpcEndpoint(api);
            assertThat(endpoint.report().peers()).singleElement().extracting(Peer::state).isEqualTo("up");

            CompletableFuture<Void> waiting = api.client().cast(target, "build_instance", "waiting");

            // its ACK is 4 s away: after the 1 s heartbeat timeout the peer is suspect, not up
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    endpoint.report().peers()).singleElement().extracting(Peer::state).isEqualTo("suspect"));
            waiting.get(30, TimeUnit.SECONDS);
            assertThat(endpoint.report().peers()).singleElement().extracting(Peer::state).isEqualTo("up");
        }
    }

    @Test
    void endpointListsEveryPeerWithStateAndLastAck() throws Exception {
        cluster.start("compute-1", new Endpoints.Compute("compute-1"));
        cluster.start("compute-2", new Endpoints.Compute("compute-2"));
        MeshNode api = cluster.start(MeshNode.builder().nodeId("api")
                .zmq(ZmqSettings.loopback(0).withAckTimeout(Duration.ofMinutes(5))));
        Instant before = Instant.now().minusSeconds(1);
        api.client().cast(Target.topic("compute").server("compute-1"), "build_instance", "vm-1").get(10, TimeUnit.SECONDS);
        api.client().cast(Target.topic("compute").server("compute-2"), "build_instance", "vm-2").get(10, TimeUnit.SECONDS);
        try (Blackhole frozen = new Blackhole()) {
            cluster.matchmaker.register(new NodeRef("frozen", frozen.endpoint()), Set.of("compute"));
            CompletableFuture<Void> neverAcked = api.client().cast(Target.topic("compute").server("frozen"),
                    "build_instance", "vm-3");
            MeshrpcEndpoint endpoint = new MeshrpcEndpoint(api);

            Awaitility.await().untilAsserted(() -> assertThat(endpoint.report().peers())
                    .extracting(Peer::nodeId).containsExactly("compute-1", "compute-2", "frozen"));
            List<Peer> peers = endpoint.report().peers();

            for (Peer acked : peers.subList(0, 2)) {
                assertThat(acked.state()).isEqualTo("up");
                assertThat(acked.connected()).isTrue();
                assertThat(acked.endpoint()).isEqualTo(cluster.matchmaker.node(acked.nodeId()).orElseThrow().endpoint());
                assertThat(Instant.parse(acked.lastAck())).isAfter(before).isBeforeOrEqualTo(Instant.now());
                assertThat(acked.pending()).isZero();
                assertThat(acked.downSince()).isNull();
            }
            Peer frozenPeer = peers.get(2);
            assertThat(frozenPeer.state()).isEqualTo("connecting");
            assertThat(frozenPeer.endpoint()).isEqualTo(frozen.endpoint());
            assertThat(frozenPeer.lastAck()).isNull();
            assertThat(frozenPeer.pending()).isEqualTo(1);
            assertThat(neverAcked).isNotDone();
        }
    }

    @Test
    void peerThatStopsAckingShowsDownWithSince() throws Exception {
        MeshNode api = cluster.start("api");
        MeshrpcEndpoint endpoint = new MeshrpcEndpoint(api);
        try (Blackhole frozen = new Blackhole()) {
            cluster.matchmaker.register(new NodeRef("frozen", frozen.endpoint()), Set.of("compute"));
            Instant before = Instant.now().minusSeconds(1);

            CompletableFuture<Void> cast = api.client().cast(Target.topic("compute").server("frozen"), "build_instance",
                    "vm-1");
            Awaitility.await().until(cast::isDone);

            assertThat(cast).isCompletedExceptionally();
            Peer down = endpoint.report().peers().stream().filter(p -> p.nodeId().equals("frozen")).findFirst()
                    .orElseThrow();
            assertThat(down.state()).isEqualTo("down");
            assertThat(Instant.parse(down.downSince())).isAfter(before).isBeforeOrEqualTo(Instant.now());
            assertThat(down.endpoint()).isEqualTo(frozen.endpoint());
            assertThat(down.connected()).as("the connection is closed on the missed ACK").isFalse();
            assertThat(down.pending()).isZero();
        }
    }

    /** Blocks every call until released: keeps messages in the dispatch queue. */
    @RpcEndpoint(topic = "stuck")
    static final class Stuck {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);

        public void work(String id) throws InterruptedException {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void endpointShowsDedupWindowSizeQueueDepthAndMatchmakerCacheAge() throws Exception {
        Stuck stuck = new Stuck();
        MeshNode node = cluster.start(MeshNode.builder().nodeId("stuck-1").endpoints(stuck).workers(1, 100)
                .dedupWindow(1000).zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT)));
        MeshNode api = cluster.start("api");
        MeshrpcEndpoint endpoint = new MeshrpcEndpoint(node);
        assertThat(endpoint.report().dedup().size()).isZero();
        try {
            for (int i = 0; i < 3; i++) {
                api.client().cast(Target.topic("stuck"), "work", "job-" + i).get(10, TimeUnit.SECONDS);
            }
            stuck.started.await(10, TimeUnit.SECONDS);

            NodeReport report = endpoint.report();
            assertThat(report.dedup()).isEqualTo(new NodeReport.Dedup(3, 1000));
            assertThat(report.queues().dispatchQueueDepth()).as("one running, two waiting").isEqualTo(2);
            assertThat(report.queues().dispatchOldestQueuedMillis()).isNotNull().isNotNegative();
            assertThat(report.queues().brokerPendingConfirms()).as("no broker").isNull();
            assertThat(report.matchmaker().type()).isEqualTo("InMemoryMatchmaker");
            assertThat(report.matchmaker().registered()).isTrue();
            assertThat(report.matchmaker().cacheAgeMillis()).as("an in-memory directory has no cache").isNull();
            assertThat(report.state()).isEqualTo("running");
        } finally {
            stuck.release.countDown();
        }
    }

    @Test
    void policiesShowEverySourceMostSpecificFirst() {
        MeshNode node = cluster.start(MeshNode.builder().nodeId("compute-1").endpoints(new Endpoints.Compute("c1"))
                .routing(new io.meshrpc.node.RoutingSettings(DeliveryPolicy.ZMQ,
                        java.util.Map.of("compute", DeliveryPolicy.ZMQ_FIRST), Duration.ofSeconds(30)))
                .zmq(ZmqSettings.loopback(0)));
        MeshrpcEndpoint endpoint = new MeshrpcEndpoint(node);
        assertThat(endpoint.report().policies().servedTopics().get("compute"))
                .isEqualTo(new NodeReport.Resolved("zmq-first", "meshrpc.routing.topics.compute"));

        endpoint.setPolicy("topics", "compute", "amqp");
        assertThat(endpoint.report().policies().servedTopics().get("compute"))
                .isEqualTo(new NodeReport.Resolved("amqp", "override:topic"));
        endpoint.setPolicy("nodes", "compute-1", "zmq");
        NodeReport.Policies policies = endpoint.report().policies();
        assertThat(policies.servedTopics().get("compute")).isEqualTo(new NodeReport.Resolved("zmq", "override:node"));
        assertThat(policies.overrides().nodes()).containsEntry("compute-1", "zmq");
        assertThat(policies.overrides().topics()).containsEntry("compute", "amqp");
        assertThat(policies.configuredTopics()).containsEntry("compute", "zmq-first");
        assertThat(policies.defaultPolicy()).isEqualTo("zmq");
        assertThat(policies.matchmaker().nodes()).isEmpty();

        endpoint.clearPolicy("nodes", "compute-1");
        endpoint.clearPolicy("topics", "compute");
        assertThat(endpoint.report().policies().servedTopics().get("compute").source())
                .isEqualTo("meshrpc.routing.topics.compute");
    }

    @Test
    void reportSerialisesToJsonWithIsoInstants() throws Exception {
        cluster.start("compute-1", new Endpoints.Compute("compute-1"));
        MeshNode api = cluster.start("api");
        api.client().cast(Target.topic("compute").server("compute-1"), "build_instance", "vm-1").get(10, TimeUnit.SECONDS);

        JsonNode json = JsonMapper.builder().build().valueToTree(new MeshrpcEndpoint(api).report());

        JsonNode peer = json.path("peers").path(0);
        assertThat(peer.path("nodeId").asString()).isEqualTo("compute-1");
        assertThat(peer.path("state").asString()).isEqualTo("up");
        assertThat(Instant.parse(peer.path("lastAck").asString())).isNotNull();
        assertThat(json.path("traffic").path("sent").path("zmq").path("ok").asLong()).isEqualTo(1);
        assertThat(json.path("policies").path("defaultPolicy").asString()).isEqualTo("zmq");
        assertThat(json.has("queues")).isTrue();
        assertThat(json.path("dedup").path("capacity").asInt()).isPositive();
    }
}
