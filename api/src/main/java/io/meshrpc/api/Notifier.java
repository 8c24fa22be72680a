package io.meshrpc.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes notifications (events) for whoever listens, as oslo.messaging's {@code Notifier}: each
 * has a priority, an event type such as {@code compute.instance.create.end}, this node's publisher
 * id, a payload and a context. Every listener pool of the topic gets every event it subscribed to,
 * and one member of a pool handles it ({@link NotificationListener}).
 *
 * <p>Each priority travels through the broker or over ZeroMQ (by default {@code debug} and
 * {@code sample} over ZeroMQ). The future completes when the broker confirmed the event (it is then
 * kept for pools that are down), or over ZeroMQ when a member of every pool that receives it
 * acknowledged it; it fails when the event could not be published, or, over ZeroMQ, naming the pools
 * no member took it for. Nobody listening is not a failure. Its callbacks never run on a transport's
 * thread.
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
