package io.meshrpc.internal.notify;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.meshrpc.api.MessageTooLargeException;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Notifier;
import io.meshrpc.api.Priority;
import io.meshrpc.api.Target;
import io.meshrpc.transport.NotificationBus;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.IdGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Publishes this node's notifications on its notification bus (the broker), counting each. */
public final class DefaultNotifier implements Notifier {

    /** Published events, by outcome: ok (the bus took it), error. */
    public static final String SENT = "meshrpc.notifications.sent";

    private final String nodeId;
    private final String publisherId;
    private final EnvelopeCodec codec;
    private final IdGenerator ids;
    private final NotificationBus bus;
    private final MeterRegistry registry;
    private final Clock clock;

    /** @param bus the bus, or {@code null} when the node has none: every notification then fails, saying why */
    public DefaultNotifier(String nodeId, String publisherId, EnvelopeCodec codec, IdGenerator ids, NotificationBus bus,
                           MeterRegistry registry, Clock clock) {
        this.nodeId = nodeId;
        this.publisherId = publisherId;
        this.codec = codec;
        this.ids = ids;
        this.bus = bus;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String publisherId() {
        return publisherId;
    }

    @Override
    public CompletableFuture<Void> notify(String topic, Priority priority, String eventType, Object payload,
                                          Map<String, String> context) {
        if (!Target.isValidTopic(topic)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Invalid notification topic '" + topic
                    + "': expected 1-64 characters of [a-z0-9_.-]"));
        }
        if (eventType == null || eventType.isEmpty() || eventType.length() > 128) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("An event type is 1-128 characters"));
        }
        if (bus == null) {
            count(topic, priority, "error");
            return CompletableFuture.failedFuture(new NoRouteException(NoRouteException.Reason.TRANSPORT_UNAVAILABLE,
                    "Notifications travel through the broker, which node " + nodeId
                            + " has not enabled (meshrpc.amqp.enabled=false)"));
        }
        EncodedEnvelope event;
        try {
            event = codec.encodeRequest(NotificationMessage.header(ids.next(), topic, eventType,
                    context == null ? Map.of() : context, nodeId),
                    NotificationMessage.args(priority, publisherId, clock.instant(), payload));
        } catch (MessageTooLargeException ex) {
            count(topic, priority, "error");
            return CompletableFuture.failedFuture(ex);
        }
        return bus.publish(topic, priority, event).whenComplete((ok, error) ->
                count(topic, priority, error == null ? "ok" : "error"));
    }

    private void count(String topic, Priority priority, String outcome) {
        Counter.builder(SENT).description("Notifications published by this node").tag("topic", topic)
                .tag("priority", priority.wireName()).tag("outcome", outcome).register(registry).increment();
    }
}
