package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.MessageTooLargeException;
import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.it.Endpoints.Scheduler;
import io.meshrpc.node.MeshNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The meters move exactly as documented in docs/metrics.md. */
class MetricsTest {

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static double counter(MeterRegistry registry, String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void castsAndCallsAreCountedPerTransportKindTopicAndOutcome() throws Exception {
        Compute compute = new Compute("compute-1");
        MeshNode receiver = cluster.start("compute-1", compute, new Scheduler("compute-1"));
        MeshNode sender = cluster.start("api-1");
        for (int i = 0; i < 3; i++) {
            sender.client().cast(Target.topic("compute"), "buildInstance", "vm-" + i).get(10, TimeUnit.SECONDS);
        }
        sender.client().invoke(Target.topic("scheduler"), "whoami", String.class, null).get(10, TimeUnit.SECONDS);
        sender.client().call(Target.topic("scheduler"), "fail", "boom", String.class)
                .handle((r, e) -> null).get(10, TimeUnit.SECONDS);
        Awaitility.await().until(() -> compute.total.get() == 3);

        MeterRegistry tx = sender.metrics().registry();
        assertThat(counter(tx, "meshrpc.messages.sent", "transport", "zmq", "kind", "CAST", "topic", "compute",
                "outcome", "ok")).isEqualTo(3);
        assertThat(counter(tx, "meshrpc.messages.sent", "transport", "zmq", "kind", "CALL", "topic", "scheduler",
                "outcome", "ok")).isEqualTo(2);
        assertThat(counter(tx, "meshrpc.messages.received", "transport", "zmq", "kind", "REPLY", "topic", "scheduler",
                "outcome", "handled")).isEqualTo(2);
        Timer success = tx.find("meshrpc.call.duration").tags("transport", "zmq", "topic", "scheduler",
                "outcome", "success").timer();
        Timer remoteError = tx.find("meshrpc.call.duration").tags("transport", "zmq", "topic", "scheduler",
                "outcome", "remote-error").timer();
        assertThat(success.count()).isEqualTo(1);
        assertThat(remoteError.count()).isEqualTo(1);

        MeterRegistry rx = receiver.metrics().registry();
        Awaitility.await().until(() -> counter(rx, "meshrpc.messages.received", "kind", "CALL", "outcome", "error") == 1);
        assertThat(counter(rx, "meshrpc.messages.received", "transport", "zmq", "kind", "CAST", "topic", "compute",
                "outcome", "handled")).isEqualTo(3);
        assertThat(counter(rx, "meshrpc.messages.received", "transport", "zmq", "kind", "CALL", "topic", "scheduler",
                "outcome", "handled")).isEqualTo(1);
        assertThat(counter(rx, "meshrpc.messages.received", "transport", "zmq", "kind", "CALL", "topic", "scheduler",
                "outcome", "error")).isEqualTo(1);
        assertThat(counter(rx, "meshrpc.messages.sent", "transport", "zmq", "kind", "REPLY", "topic", "scheduler",
                "outcome", "ok")).isEqualTo(2);
    }

    @Test
    void tagsNeverCarryANodeId() throws Exception {
        cluster.start("compute-1", new Compute("compute-1"));
        MeshNode sender = cluster.start("api-1");
        sender.client().cast(Target.topic("compute").server("compute-1"), "buildInstance", "vm").get(10, TimeUnit.SECONDS);
        assertThat(sender.metrics().registry().getMeters()).allSatisfy(meter ->
                assertThat(meter.getId().getTags()).noneMatch(tag -> tag.getValue().contains("compute-1")
                        || tag.getValue().contains("api-1")));
    }

    @Test
    void refusedTimedOutAndOversizedSendsAreCountedWithTheirOutcome() throws Exception {
        MeshNode wrong = cluster.start("sched-1", new Scheduler("sched-1"));
        MeshNode sender = cluster.start("api-1");
        cluster.matchmaker.register(new io.meshrpc.matchmaker.NodeRef("sched-1", wrong.endpoint()),
                java.util.Set.of("scheduler", "compute"));
        sender.client().cast(Target.topic("compute"), "buildInstance", "vm").handle((r, e) -> null)
                .get(10, TimeUnit.SECONDS);
        String big = "x".repeat(1 << 20);
        assertThatThrownBy(() -> sender.client().cast(Target.topic("compute"), "buildInstance", big)
                .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(MessageTooLargeException.class);
        MeterRegistry tx = sender.metrics().registry();
        assertThat(counter(tx, "meshrpc.messages.sent", "kind", "CAST", "topic", "compute", "outcome", "refused"))
                .isEqualTo(1);
        assertThat(counter(tx, "meshrpc.messages.sent", "kind", "CAST", "topic", "compute", "outcome", "too-large"))
                .isEqualTo(1);
        assertThat(counter(wrong.metrics().registry(), "meshrpc.messages.received", "topic", "unknown",
                "outcome", "rejected")).isEqualTo(1);
    }

    @Test
    void gaugesShowQueueDepthOldestAgeAndPeers() throws Exception {
        MeshNode receiver = cluster.start("compute-1", new Compute("compute-1"));
        MeshNode sender = cluster.start("api-1");
        sender.client().cast(Target.topic("compute"), "buildInstance", "vm").get(10, TimeUnit.SECONDS);
        MeterRegistry rx = receiver.metrics().registry();
        assertThat(rx.get("meshrpc.dispatch.queue.depth").gauge().value()).isZero();
        assertThat(rx.get("meshrpc.dispatch.oldest.age").timeGauge().value(TimeUnit.MILLISECONDS)).isZero();
        assertThat(sender.metrics().registry().get("meshrpc.peers.connected").gauge().value()).isEqualTo(1);
    }

    @Test
    void timedOutCallIsRecordedWithTimeoutOutcome() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        MeshNode sender = cluster.start("api-1");
        sender.client().call(Target.topic("scheduler"), "slow", 2_000L, String.class, Duration.ofMillis(100))
                .handle((r, e) -> null).join();
        assertThat(sender.metrics().registry().find("meshrpc.call.duration").tags("outcome", "timeout").timer().count())
                .isEqualTo(1);
    }
}
