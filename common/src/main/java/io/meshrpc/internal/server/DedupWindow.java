package io.meshrpc.internal.server;

import java.util.HashSet;
import java.util.Set;

/**
 * The ids of the most recently accepted envelopes, shared by every transport of a node, so that a
 * message that arrives twice (a late ACK followed by a failover, a redelivery by the broker) is
 * handled once.
 *
 * <p>A fixed-size ring: memory is bounded by the capacity whatever the traffic, and the oldest id
 * is forgotten first. Synchronised rather than lock-free: the critical section is a hash look-up
 * and two array writes, far cheaper than the I/O around it.
 */
public final class DedupWindow {

    private final String[] ring;
    private final Set<String> ids;
    private int next;

    public DedupWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dedup window capacity must be positive, was " + capacity);
        }
        this.ring = new String[capacity];
        this.ids = new HashSet<>(capacity * 2);
    }

    /** Records {@code id}; returns {@code false} if it was already in the window. */
    public synchronized boolean firstSeen(String id) {
        if (!ids.add(id)) {
            return false;
        }
        String evicted = ring[next];
        if (evicted != null) {
            ids.remove(evicted);
        }
        ring[next] = id;
        next = (next + 1) % ring.length;
        return true;
    }

    /**
     * Forgets {@code id} again, for a message that was recorded but then could not be queued: the
     * sender will retry it and the retry must not be mistaken for a duplicate.
     */
    public synchronized void forget(String id) {
        ids.remove(id);
    }

    /** How many ids the window holds now (at most its capacity). */
    public synchronized int size() {
        return ids.size();
    }

    public int capacity() {
        return ring.length;
    }
}
