package io.meshrpc.internal.server;

/**
 * The ids of the most recently accepted envelopes, shared by every transport of a node, so that a
 * message that arrives twice (a late ACK followed by a failover, a redelivery by the broker) is
 * handled once.
 *
 * <p>A fixed-size ring: memory is bounded by the capacity whatever the traffic, and the oldest id
 * is forgotten first. Synchronised rather than lock-free: the critical section is a hash look-up
 * and a few array writes, far cheaper than the I/O around it.
 *
 * <p>The ids are kept in an open-addressing table (linear probing, at most half full) of their hash
 * codes beside the ids themselves, rather than a {@code HashSet}: with 100,000 ids the table is
 * larger than a core's cache, and each cast touched it twice (its id in, the oldest out). Here a
 * look-up reads the hash array and touches an id only when its hash matches; the oldest id is found
 * by the hash the ring kept for it and by identity, without reading the string; nothing is
 * allocated per id.
 */
public final class DedupWindow {

    /** Most ids a window holds: its table, twice as many slots, must be an array. */
    public static final int MAX_CAPACITY = 1 << 28;
    /** Marks a used slot of {@link #hashes}: a stored hash is never 0, so 0 is an empty slot. */
    private static final int USED = 1;

    private final String[] ring;
    private final int[] ringHashes;
    private final String[] ids;
    private final int[] hashes;
    private final int mask;
    private int next;
    private int size;

    public DedupWindow(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("dedup window capacity must be 1 to " + MAX_CAPACITY + ", was " + capacity);
        }
        this.ring = new String[capacity];
        this.ringHashes = new int[capacity];
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // a power of two >= 2 * capacity
        this.ids = new String[slots];
        this.hashes = new int[slots];
        this.mask = slots - 1;
    }

    /** Records {@code id}; returns {@code false} if it was already in the window. */
    public synchronized boolean firstSeen(String id) {
        int hash = hash(id);
        int slot = slotOf(id, hash);
        if (slot >= 0) {
            return false;
        }
        slot = ~slot;
        hashes[slot] = hash;
        ids[slot] = id;
        size++;
        String evicted = ring[next];
        if (evicted != null) {
            removeSame(evicted, ringHashes[next]);
        }
        ring[next] = id;
        ringHashes[next] = hash;
        next = (next + 1) % ring.length;
        return true;
    }

    /**
     * Forgets {@code id} again, for a message that was recorded but then could not be queued: the
     * sender will retry it and the retry must not be mistaken for a duplicate.
     */
    public synchronized void forget(String id) {
        int slot = slotOf(id, hash(id));
        if (slot >= 0) {
            delete(slot);
        }
    }

    /** How many ids the window holds now (at most its capacity). */
    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return ring.length;
    }

    /** The slot that holds an id equal to {@code id}, or {@code ~slot} of the empty slot where it would go. */
    private int slotOf(String id, int hash) {
        int slot = hash & mask;
        for (int h = hashes[slot]; h != 0; h = hashes[slot]) {
            if (h == hash && id.equals(ids[slot])) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return ~slot;
    }

    /**
     * Removes the very string the ring held, if the table still holds it: one that was forgotten and
     * then recorded again is another string, and stays until its own turn in the ring comes.
     */
    private void removeSame(String evicted, int hash) {
        for (int slot = hash & mask; hashes[slot] != 0; slot = (slot + 1) & mask) {
            if (ids[slot] == evicted) {
                delete(slot);
                return;
            }
        }
    }

    /** Empties {@code slot} and moves later entries of its probe run back, so that no run has a gap. */
    private void delete(int slot) {
        size--;
        int gap = slot;
        int at = (slot + 1) & mask;
        while (hashes[at] != 0) {
            int home = hashes[at] & mask;
            // the entry at 'at' may fill the gap unless its home lies cyclically in (gap, at]
            boolean homeAfterGap = gap <= at ? gap < home && home <= at : gap < home || home <= at;
            if (!homeAfterGap) {
                hashes[gap] = hashes[at];
                ids[gap] = ids[at];
                gap = at;
            }
            at = (at + 1) & mask;
        }
        hashes[gap] = 0;
        ids[gap] = null;
    }

    /** The id's hash code, its bits spread over the low ones that pick a slot, never 0. */
    private static int hash(String id) {
        int h = id.hashCode();
        return (h ^ (h >>> 16)) | USED;
    }
}
