package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.BuildRequest;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.it.Endpoints.HostRef;
import io.meshrpc.it.Endpoints.Scheduler;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.NodeReport.Peer;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * A rolling upgrade's fleet: nodes of this release (frame format 2, batch frames) next to a node pinned to
 * format 1, which sends and answers exactly as the release before batch frames did. Every pair talks,
 * each connection in the highest format both of its ends read, over real sockets.
 */
class MixedFrameFormatTest {

    private static final int CASTS = 2_000;
    private static final BuildRequest REQUEST = new BuildRequest("vm", 2, 2048);

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private MeshNode start(String nodeId, int frameFormat, Object... endpoints) {
        return cluster.start(MeshNode.builder().nodeId(nodeId).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0).toBuilder().ackTimeout(TestCluster.ACK_TIMEOUT)
                        .frameFormat(frameFormat).build()));
    }

    @Test
    void newNodesBatchBetweenThemselvesAndEveryCastArrivesOnce() throws Exception {
        Compute compute = new Compute("compute-1");
        start("compute-1", 2, compute);
        MeshNode sender = start("api-1", 2);

        castMany(sender, "compute-1");

        Awaitility.await().until(() -> compute.total.get() == CASTS);
        assertThat(compute.handled.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(frameFormatTo(sender, "compute-1")).isEqualTo(2);
    }

    @Test
    void newSenderFallsBackToOneEnvelopePerMessageForANodePinnedToTheOldFormat() throws Exception {
        Compute old = new Compute("compute-old");
        start("compute-old", 1, old);
        Scheduler oldScheduler = new Scheduler("scheduler-old");
        start("scheduler-old", 1, oldScheduler);
        MeshNode sender = start("api-1", 2);

        castMany(sender, "compute-old");
        String served = sender.client().call(Target.topic("scheduler").server("scheduler-old"), "select_destination",
                REQUEST, HostRef.class).get(10, TimeUnit.SECONDS).host();

        Awaitility.await().until(() -> old.total.get() == CASTS);
        assertThat(old.handled.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(served).isEqualTo("scheduler-old");
        assertThat(frameFormatTo(sender, "compute-old")).isEqualTo(1);
        assertThat(rejected(sender)).isZero();
    }

    @Test
    void nodePinnedToTheOldFormatSendsAndIsAnsweredInIt() throws Exception {
        Compute compute = new Compute("compute-1");
        start("compute-1", 2, compute);
        MeshNode scheduler = start("scheduler-1", 2, new Scheduler("scheduler-1"));
        MeshNode old = start("api-old", 1);

        castMany(old, "compute-1");
        String served = old.client().call(Target.topic("scheduler"), "select_destination", REQUEST, HostRef.class)
                .get(10, TimeUnit.SECONDS).host();

        Awaitility.await().until(() -> compute.total.get() == CASTS);
        assertThat(compute.handled.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(served).isEqualTo("scheduler-1");
        assertThat(frameFormatTo(old, "compute-1")).isEqualTo(1);
        // An answer in batch frames would be an unknown command to the old node: it counts those.
        assertThat(rejected(old)).isZero();
        assertThat(rejected(scheduler)).isZero();
    }

    @Test
    void callsAndTheirRepliesTravelInBatchFramesBetweenNewNodes() throws Exception {
        start("scheduler-1", 2, new Scheduler("scheduler-1"));
        MeshNode caller = start("api-1", 2);
        List<CompletableFuture<HostRef>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(caller.client().call(Target.topic("scheduler"), "select_destination", REQUEST, HostRef.class,
                    Duration.ofSeconds(10)));
        }
        for (CompletableFuture<HostRef> call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS).host()).isEqualTo("scheduler-1");
        }
        assertThat(frameFormatTo(caller, "scheduler-1")).isEqualTo(2);
        assertThat(rejected(caller)).isZero();
    }

    private static void castMany(MeshNode sender, String node) throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>(CASTS);
        for (int i = 0; i < CASTS; i++) {
            sent.add(sender.client().cast(Target.topic("compute").server(node), "buildInstance", "vm-" + i));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private static int frameFormatTo(MeshNode sender, String node) {
        return sender.report().peers().stream().filter(p -> p.nodeId().equals(node)).findFirst()
                .map(Peer::frameFormat).orElseThrow();
    }

    private static double rejected(MeshNode node) {
        return node.metrics().count(RpcMetrics.RECEIVED, "outcome", "rejected");
    }
}
