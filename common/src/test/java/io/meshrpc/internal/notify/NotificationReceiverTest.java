package io.meshrpc.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.Priority;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.ReplyChannel;
import io.meshrpc.transport.RequestHandler;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

class NotificationReceiverTest {

    @NotificationListener(pool = "feed")
    static final class Feed {
        public void on(Notification n) {
        }
    }

    private final JsonMapper mapper = MeshNode.defaultMapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NotificationDispatcher notifications = new NotificationDispatcher("feed-1",
            Subscription.of(List.of(new Feed()), mapper), mapper, registry);
    private final List<Envelope> toDispatcher = new ArrayList<>();
    private final NotificationReceiver receiver = new NotificationReceiver("feed-1", new RequestHandler() {
        @Override
        public Acceptance accept(Envelope request, TransportName transport, ReplyChannel replyChannel) {
            toDispatcher.add(request);
            return Acceptance.ACCEPTED;
        }

        @Override
        public void rejected(TransportName transport, String reason) {
        }
    }, notifications, new RpcMetrics(registry));

    @AfterEach
    void stop() throws InterruptedException {
        notifications.stop(1000);
    }

    private Envelope event(String id, String pool) {
        return NotificationMessage.forPool(NotificationMessage.event(id, "notifications", "compute.instance.exists",
                Map.of(), "compute-1", mapper.valueToTree(NotificationMessage.args(Priority.SAMPLE, "compute.compute-1",
                        Instant.EPOCH, "x"))), pool);
    }

    @Test
    void aNotifyForAPoolOfThisNodeIsTakenOnceAndItsRepeatIsADuplicate() {
        assertThat(receiver.accept(event("e-1", "feed"), TransportName.ZMQ, null)).isEqualTo(Acceptance.ACCEPTED);
        assertThat(receiver.accept(event("e-1", "feed"), TransportName.ZMQ, null)).isEqualTo(Acceptance.DUPLICATE);
        assertThat(toDispatcher).isEmpty();
    }

    @Test
    void aNotifyForAPoolThisNodeIsNotInIsRefusedSoThePublisherTriesAnotherMember() {
        assertThat(receiver.accept(event("e-1", "billing"), TransportName.ZMQ, null))
                .isEqualTo(Acceptance.UNKNOWN_TOPIC);
    }

    @Test
    void aNotifyAddressedToAnotherNodeOrThroughTheBrokerIsRefused() {
        Envelope e = event("e-1", "feed");
        Envelope toAnother = new Envelope(e.v(), e.id(), e.kind(), e.topic(), "feed-2", false, e.method(), e.args(),
                e.ctx(), null, null, 0, e.from(), null, null, e.namespace(), null, 0);

        assertThat(receiver.accept(toAnother, TransportName.ZMQ, null)).isEqualTo(Acceptance.WRONG_NODE);
        assertThat(receiver.accept(e, TransportName.AMQP, null)).isEqualTo(Acceptance.UNKNOWN_TOPIC);
        assertThat(registry.find(RpcMetrics.RECEIVED).tag("kind", "NOTIFY").tag("outcome", "rejected").counters()
                .stream().mapToDouble(c -> c.count()).sum()).isEqualTo(2);
    }

    @Test
    void aStoppingNodeRefusesNotifiesAsDraining() {
        notifications.stopAccepting();

        assertThat(receiver.accept(event("e-1", "feed"), TransportName.ZMQ, null)).isEqualTo(Acceptance.DRAINING);
    }

    @Test
    void castsAndCallsGoToTheDispatcher() {
        Envelope cast = Envelope.request("c-1", Kind.CAST, "compute", null, false, "build", null, Map.of(), null, 0,
                "gateway-1");

        assertThat(receiver.accept(cast, TransportName.ZMQ, null)).isEqualTo(Acceptance.ACCEPTED);
        assertThat(toDispatcher).containsExactly(cast);
    }
}
