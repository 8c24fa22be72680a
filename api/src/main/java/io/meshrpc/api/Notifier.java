package io.meshrpc.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes notifications (events) for whoever listens, as oslo.messaging's {@code Notifier}: each
 * has a priority, an event type such as {@code compute.instance.create.end}, this node's publisher
 * id, a payload and a context. Every listener pool of the topic gets every event it subscribed to,
 * and one member of a pool handles it ({@link NotificationListener}).
 *
 * <p>The future completes when the broker confirmed the event (it is then kept for pools that are
 * down); it fails when the event could not be published. Nobody listening is not a failure.
 */
public interface Notifier {

    /** The publisher id this notifier writes, such as {@code compute.compute-3}. */
    String publisherId();

    /** Publishes {@code payload} on {@code topic} with an empty context. */
    default CompletableFuture<Void> notify(String topic, Priority priority, String eventType, Object payload) {
        return notify(topic, priority, eventType, payload, Map.of());
    }

    /** Publishes {@code payload} on {@code topic}; listeners' filters may match {@code context}. */
    CompletableFuture<Void> notify(String topic, Priority priority, String eventType, Object payload,
                                   Map<String, String> context);

    /** An {@link Priority#INFO} event on the default topic, {@value #DEFAULT_TOPIC}. */
    default CompletableFuture<Void> info(String eventType, Object payload) {
        return notify(DEFAULT_TOPIC, Priority.INFO, eventType, payload);
    }

    /** An {@link Priority#ERROR} event on the default topic, {@value #DEFAULT_TOPIC}. */
    default CompletableFuture<Void> error(String eventType, Object payload) {
        return notify(DEFAULT_TOPIC, Priority.ERROR, eventType, payload);
    }

    /** The topic oslo.messaging notifies on by default. */
    String DEFAULT_TOPIC = "notifications";
}
