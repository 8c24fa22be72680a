package io.meshrpc.transport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.meshrpc.api.Priority;
import io.meshrpc.wire.EncodedEnvelope;

/**
 * A transport that carries notifications to listener pools, durably: every pool gets every event of
 * the priorities it subscribed to, one member of a pool receives each, and the events of a pool that
 * is down wait for it. The broker transport is one.
 */
public interface NotificationBus {

    /** One listener pool of this node: a topic, a pool name and the priorities it receives. */
    record Pool(String topic, String pool, Set<Priority> priorities) {
    }

    /** Publishes an event; completes when the bus took it (kept for pools that are down). */
    CompletableFuture<Void> publish(String topic, Priority priority, EncodedEnvelope event);

    /**
     * Starts receiving the events of {@code pools} and handing them to {@code handler}, with the
     * index of the pool in the list. Called once, after the transport started.
     */
    void listen(List<Pool> pools, NotificationHandler handler);
}
