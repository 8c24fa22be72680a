package io.meshrpc.transport.zmq;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Sends that found every connection busy ({@code meshrpc.zmq.max-peers}) and wait, first come first
 * served, for one to be freed; owned by the I/O thread, like the connections.
 *
 * <p>Grouped by peer: a send to a peer that already waits queues behind that peer's first send, and
 * the connection opened for the peer takes the whole group in order. One freed connection then
 * serves every send waiting for that peer, and per-peer order holds as it does on a connection.
 *
 * <p>Bounded twice: by {@code capacity} sends, and in time. The clock restarts whenever a waiting peer
 * gets a connection; {@link #stalled} says when none has for longer than a limit, so the I/O thread
 * fails the waiting sends instead of holding them while every connection stays busy.
 */
final class WaitingSends {

    private final int capacity;
    private final LinkedHashMap<String, List<Outgoing>> byPeer = new LinkedHashMap<>();
    private int size;
    private long lastProgressNanos;

    WaitingSends(int capacity) {
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    boolean full() {
        return size >= capacity;
    }

    /** Queues {@code send} behind the sends already waiting; the caller checked {@link #full()}. */
    void add(Outgoing send, long nowNanos) {
        if (size == 0) {
            lastProgressNanos = nowNanos;
        }
        byPeer.computeIfAbsent(send.peerEndpoint(), endpoint -> new ArrayList<>(1)).add(send);
        size++;
    }

    /** The first send to the peer that waits longest; the queue must not be empty. */
    Outgoing first() {
        return byPeer.values().iterator().next().get(0);
    }

    /** Removes the sends of the peer that waits longest, in the order they came; the queue must not be empty. */
    List<Outgoing> removeFirstPeer() {
        Iterator<List<Outgoing>> peers = byPeer.values().iterator();
        List<Outgoing> first = peers.next();
        peers.remove();
        size -= first.size();
        return first;
    }

    /**
     * A waiting peer got a connection at {@code nowNanos}. Called once its sends are out, so that their
     * ACK timeouts end no later than {@link #stalled} would: a connection held by a peer that never
     * answers is closed (and handed on) before the queue behind it counts as stalled.
     */
    void progressed(long nowNanos) {
        lastProgressNanos = nowNanos;
    }

    /** Whether sends wait and no waiting peer got a connection for longer than {@code limitNanos}. */
    boolean stalled(long nowNanos, long limitNanos) {
        return size > 0 && nowNanos - lastProgressNanos > limitNanos;
    }

    /** Removes and returns every waiting send. */
    List<Outgoing> drain() {
        List<Outgoing> all = new ArrayList<>(size);
        byPeer.values().forEach(all::addAll);
        byPeer.clear();
        size = 0;
        return all;
    }
}
