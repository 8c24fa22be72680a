package io.meshrpc.internal.notify;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.meshrpc.api.Failures;
import io.meshrpc.api.Notifier;
import io.meshrpc.api.Priority;
import io.meshrpc.api.Target;
import io.meshrpc.internal.client.RpcFuture;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.transport.NotificationBus;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.IdGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes this node's notifications, each priority on its path: through the broker's pool queues,
 * or over ZeroMQ to one member of each pool ({@link NotificationDelivery}); counts each.
 */
public final class DefaultNotifier implements Notifier {

    /** Published events, by transport and outcome: ok (the bus took it, or every pool's member did), error. */
    public static final String SENT = "meshrpc.notifications.sent";

    private final String nodeId;
    private final String publisherId;
    private final EnvelopeCodec codec;
    private final IdGenerator ids;
    private final NotificationBus bus;
    private final ZmqNotificationPublisher direct;
    private final NotificationDelivery delivery;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Executor callbacks;

    /**
     * @param bus       the broker, or {@code null} when the node has none: every priority then goes over ZeroMQ
     * @param direct    sends the events that go over ZeroMQ
     * @param callbacks where the caller's callbacks run: never on a transport's thread
     */
    public DefaultNotifier(String nodeId, String publisherId, EnvelopeCodec codec, IdGenerator ids, NotificationBus bus,
                           ZmqNotificationPublisher direct, NotificationDelivery delivery, MeterRegistry registry,
                           Clock clock, Executor callbacks) {
        this.nodeId = nodeId;
        this.publisherId = publisherId;
        this.codec = codec;
        this.ids = ids;
        this.bus = bus;
        this.direct = direct;
        this.delivery = delivery;
        this.registry = registry;
        this.clock = clock;
        this.callbacks = callbacks;
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
        DeliveryPolicy path = delivery.path(priority, bus != null);
        TransportName transport = path == DeliveryPolicy.ZMQ ? TransportName.ZMQ : TransportName.AMQP;
        Map<String, String> ctx = context == null ? Map.of() : context;
        CompletableFuture<Void> sent;
        try {
            Object[] args = NotificationMessage.args(priority, publisherId, clock.instant(), payload);
            sent = transport == TransportName.ZMQ
                    ? direct.publish(NotificationMessage.event(ids.next(), topic, eventType, ctx, nodeId,
                            codec.mapper().valueToTree(args)), priority)
                    : bus.publish(topic, priority, codec.encodeRequest(NotificationMessage.header(ids.next(), topic,
                            eventType, ctx, nodeId), args));
        } catch (RuntimeException ex) { // too large, or a payload that cannot be written as JSON: nothing was sent
            count(topic, priority, transport, "error");
            return CompletableFuture.failedFuture(ex);
        }
        RpcFuture<Void> result = new RpcFuture<>(callbacks);
        sent.whenComplete((ok, error) -> {
            count(topic, priority, transport, error == null ? "ok" : "error");
            if (error == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(Failures.unwrap(error));
            }
        });
        return result;
    }

    private void count(String topic, Priority priority, TransportName transport, String outcome) {
        Counter.builder(SENT).description("Notifications published by this node").tag("topic", topic)
                .tag("priority", priority.wireName()).tag("transport", transport.tag()).tag("outcome", outcome)
                .register(registry).increment();
    }
}
