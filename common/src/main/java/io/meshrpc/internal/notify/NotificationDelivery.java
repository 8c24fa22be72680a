package io.meshrpc.internal.notify;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.meshrpc.api.Priority;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * Which path carries the notifications of each priority: {@code amqp}, the broker's durable pool
 * queues, or {@code zmq}, straight to one live member of each pool. By default {@code debug} and
 * {@code sample} go over ZeroMQ (many, and worth little once late) and every other priority through
 * the broker (audit, errors and billing must reach a pool that is down when it returns).
 *
 * @param byPriority the path of each priority; priorities it leaves out take the default
 */
public record NotificationDelivery(Map<Priority, DeliveryPolicy> byPriority) {

    /** The priorities that go over ZeroMQ by default; the others go through the broker. */
    private static final Set<Priority> ZMQ_BY_DEFAULT = EnumSet.of(Priority.DEBUG, Priority.SAMPLE);

    /** The paths by default. */
    public static final NotificationDelivery DEFAULT = new NotificationDelivery(Map.of());

    public NotificationDelivery {
        Map<Priority, DeliveryPolicy> all = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            all.put(p, ZMQ_BY_DEFAULT.contains(p) ? DeliveryPolicy.ZMQ : DeliveryPolicy.AMQP);
        }
        if (byPriority != null) {
            byPriority.forEach((priority, policy) -> {
                if (policy == DeliveryPolicy.ZMQ_FIRST) {
                    throw new IllegalArgumentException("Notifications of priority " + priority.wireName()
                            + " go either through the broker (amqp) or over ZeroMQ (zmq), not zmq-first: a pool's"
                            + " broker queue would get again what its ZeroMQ members already had");
                }
                all.put(priority, policy);
            });
        }
        byPriority = Map.copyOf(all);
    }

    /** This one with {@code priority} sent by {@code policy}. */
    public NotificationDelivery with(Priority priority, DeliveryPolicy policy) {
        Map<Priority, DeliveryPolicy> changed = new EnumMap<>(byPriority);
        changed.put(priority, policy);
        return new NotificationDelivery(changed);
    }

    /** The path of {@code priority} on a node with or without a broker: without one, every priority goes over ZeroMQ. */
    DeliveryPolicy path(Priority priority, boolean hasBroker) {
        return hasBroker ? byPriority.get(priority) : DeliveryPolicy.ZMQ;
    }
}
