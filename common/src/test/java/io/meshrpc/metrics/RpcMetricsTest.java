package io.meshrpc.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RpcMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RpcMetrics metrics = new RpcMetrics(registry);

    @Test
    void sentMessagesAreCountedUnderEachOfTheirTags() {
        metrics.sent(TransportName.ZMQ, Kind.CAST, "compute", SentOutcome.OK);
        metrics.sent(TransportName.ZMQ, Kind.CAST, "compute", SentOutcome.OK);
        metrics.sent(TransportName.ZMQ, Kind.CALL, "compute", SentOutcome.OK);
        metrics.sent(TransportName.AMQP, Kind.CAST, "compute", SentOutcome.OK);
        metrics.sent(TransportName.ZMQ, Kind.CAST, "scheduler", SentOutcome.NO_ACK);
        metrics.unsent(Kind.CALL, null, SentOutcome.TOO_LARGE);

        assertThat(count(RpcMetrics.SENT, "transport", "zmq", "kind", "CAST", "topic", "compute", "outcome", "ok"))
                .isEqualTo(2);
        assertThat(count(RpcMetrics.SENT, "transport", "zmq", "kind", "CALL", "topic", "compute", "outcome", "ok"))
                .isEqualTo(1);
        assertThat(count(RpcMetrics.SENT, "transport", TransportName.AMQP.tag(), "kind", "CAST", "topic", "compute",
                "outcome", "ok")).isEqualTo(1);
        assertThat(count(RpcMetrics.SENT, "transport", "zmq", "kind", "CAST", "topic", "scheduler",
                "outcome", "no-ack")).isEqualTo(1);
        assertThat(count(RpcMetrics.SENT, "transport", RpcMetrics.NO_TRANSPORT, "kind", "CALL",
                "topic", RpcMetrics.UNKNOWN_TOPIC, "outcome", "too-large")).isEqualTo(1);
        assertThat(registry.find(RpcMetrics.SENT).counters()).hasSize(5);
    }

    @Test
    void receivedMessagesAreCountedUnderEachOfTheirTagsAnUnreadableKindAsUnknown() {
        metrics.received(TransportName.ZMQ, "CAST", "compute", ReceivedOutcome.HANDLED);
        metrics.received(TransportName.ZMQ, "CAST", "compute", ReceivedOutcome.DUPLICATE);
        metrics.received(TransportName.ZMQ, "unknown", RpcMetrics.UNKNOWN_TOPIC, ReceivedOutcome.REJECTED);
        metrics.received(TransportName.ZMQ, "odd", RpcMetrics.UNKNOWN_TOPIC, ReceivedOutcome.REJECTED);
        metrics.received(TransportName.ZMQ, "odd", RpcMetrics.UNKNOWN_TOPIC, ReceivedOutcome.REJECTED);

        assertThat(count(RpcMetrics.RECEIVED, "kind", "CAST", "topic", "compute", "outcome", "handled")).isEqualTo(1);
        assertThat(count(RpcMetrics.RECEIVED, "kind", "CAST", "topic", "compute", "outcome", "duplicate"))
                .isEqualTo(1);
        assertThat(count(RpcMetrics.RECEIVED, "kind", "unknown", "outcome", "rejected")).isEqualTo(1);
        assertThat(count(RpcMetrics.RECEIVED, "kind", "odd", "outcome", "rejected")).isEqualTo(2);
        assertThat(registry.find(RpcMetrics.SENT).counters()).isEmpty();
    }

    private double count(String name, String... tags) {
        return metrics.count(name, tags);
    }
}
