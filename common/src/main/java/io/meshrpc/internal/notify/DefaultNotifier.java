package io.meshrpc.internal.notify;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.meshrpc.api.MessageTooLargeException;
import io.meshrpc.api.Notifier;
import io.meshrpc.api.Priority;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.Target;
import io.meshrpc.internal.routing.DeliveryRouter;
import io.meshrpc.matchmaker.Matchmaker;
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

    /**
     * @param bus    the broker, or {@code null} when the node has none: every priority then goes over ZeroMQ
     * @param client asks listener nodes which pools they are in
     * @param router sends the events that go over ZeroMQ
     */
    public DefaultNotifier(String nodeId, String publisherId, EnvelopeCodec codec, IdGenerator ids, NotificationBus bus,
                           NotificationDelivery delivery, Matchmaker matchmaker, RpcClient client,
                           DeliveryRouter router, MeterRegistry registry, Clock clock) {
        this.nodeId = nodeId;
        this.publisherId = publisherId;
        this.codec = codec;
        this.ids = ids;
        this.bus = bus;
        this.delivery = delivery;
        this.direct = new ZmqNotificationPublisher(new ListenerDirectory(matchmaker, client, System::nanoTime),
                router, codec);
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
        DeliveryPolicy path = delivery.path(priority, bus != null);
        TransportName transport = path == DeliveryPolicy.ZMQ ? TransportName.ZMQ : TransportName.AMQP;
        Map<String, String> ctx = context == null ? Map.of() : context;
        Object[] args = NotificationMessage.args(priority, publisherId, clock.instant(), payload);
        CompletableFuture<Void> sent;
        try {
            sent = transport == TransportName.ZMQ
                    ? direct.publish(NotificationMessage.event(ids.next(), topic, eventType, ctx, nodeId,
                            codec.mapper().valueToTree(args)))
                    : bus.publish(topic, priority, codec.encodeRequest(NotificationMessage.header(ids.next(), topic,
                            eventType, ctx, nodeId), args));
        } catch (MessageTooLargeException ex) {
            count(topic, priority, transport, "error");
            return CompletableFuture.failedFuture(ex);
        }
        return sent.whenComplete((ok, error) -> count(topic, priority, transport, error == null ? "ok" : "error"));
    }

    private void count(String topic, Priority priority, TransportName transport, String outcome) {
        Counter.builder(SENT).description("Notifications published by this node").tag("topic", topic)
                .tag("priority", priority.wireName()).tag("transport", transport.tag()).tag("outcome", outcome)
                .register(registry).increment();
    }
}
