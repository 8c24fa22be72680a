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
 * <p>The ids are found through an open-addressing table (linear probing, at most half full) of
 * {@code long}s, each an id's hash code beside its place in the ring, rather than a {@code HashSet}:
 * with 100,000 ids the table is larger than a core's cache, and each cast touches it twice (its id
 * in, the oldest out). A look-up reads one array and touches an id only when its hash matches; the
 * oldest id's entry is found by its hash and ring place, without reading the string; nothing is
 * allocated per id.
 *
 * <p>The ring keeps the ids' characters, not the strings: an id of up to {@value #INLINE_CHARACTERS}
 * characters of Latin-1 (meshrpc's own ids, UUIDs) is copied into one array at its ring place, and
 * only a longer or other id is kept as its string. 100,000 strings held for a third of a second each,
 * as at a few hundred thousand casts a second, were copied by every young collection: pauses of
 * 8-23 ms against 2-3 ms with a window of 1,000 in the cast benchmark.
 */
public final class DedupWindow {

    /** Most ids a window holds: their characters, {@value #INLINE_CHARACTERS} bytes each, must be an array. */
    public static final int MAX_CAPACITY = 1 << 25;
    /** The longest id kept as characters in {@link #inline} rather than as a string. */
    static final int INLINE_CHARACTERS = 40;
    /** Set in every stored hash, so that no entry is 0, which marks an empty slot. */
    private static final int USED = 1;

    /** By ring place: the characters of an id kept inline, {@link #INLINE_CHARACTERS} bytes a place. */
    private final byte[] inline;
    /** By ring place: 1 + the length of the id kept inline, or 0 where {@link #overflow} holds it. */
    private final byte[] inlineLengths;
    /** By ring place: an id too long for {@link #inline}, or with a character beyond Latin-1. */
    private final String[] overflow;
    private final int[] ringHashes;
    /** Entries {@code hash << 32 | ring place}; 0 is an empty slot. */
    private final long[] table;
    private final int mask;
    private int next;
    /** Whether the ring went round once: from then on the place {@link #next} holds the oldest id. */
    private boolean wrapped;
    private int size;

    public DedupWindow(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("dedup window capacity must be 1 to " + MAX_CAPACITY + ", was " + capacity);
        }
        this.inline = new byte[capacity * INLINE_CHARACTERS];
        this.inlineLengths = new byte[capacity];
        this.overflow = new String[capacity];
        this.ringHashes = new int[capacity];
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // a power of two >= 2 * capacity
        this.table = new long[slots];
        this.mask = slots - 1;
    }

    /** Records {@code id}; returns {@code false} if it was already in the window. */
    public synchronized boolean firstSeen(String id) {
        int hash = hash(id);
        int slot = slotOf(id, hash);
        if (slot >= 0) {
            return false;
        }
        if (wrapped) {
            remove(entry(ringHashes[next], next));
            slot = slotOf(id, hash); // removing the oldest may have moved the end of this id's probe run
        }
        table[~slot] = entry(hash, next);
        size++;
        keep(next, id);
        ringHashes[next] = hash;
        if (++next == ringHashes.length) {
            next = 0;
            wrapped = true;
        }
        return true;
    }

    /**
     * Forgets {@code id} again, for a message that was recorded but then could not be queued: the
     * sender will retry it and the retry must not be mistaken for a duplicate. The retry takes a
     * place of its own in the ring and stays for that place's turn.
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
        return ringHashes.length;
    }

    /** The slot whose entry is an id equal to {@code id}, or {@code ~slot} of the empty slot where it would go. */
    private int slotOf(String id, int hash) {
        int slot = hash & mask;
        for (long e = table[slot]; e != 0; e = table[slot]) {
            if ((int) (e >>> 32) == hash && holds((int) e, id)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return ~slot;
    }

    /** Removes {@code entry} if the table holds it: a forgotten id's entry is gone already. */
    private void remove(long entry) {
        for (int slot = (int) (entry >>> 32) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            if (table[slot] == entry) {
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
        for (long e = table[at]; e != 0; e = table[at]) {
            int home = (int) (e >>> 32) & mask;
            // the entry at 'at' may fill the gap unless its home lies cyclically in (gap, at]
            boolean homeAfterGap = gap <= at ? gap < home && home <= at : gap < home || home <= at;
            if (!homeAfterGap) {
                table[gap] = e;
                gap = at;
            }
            at = (at + 1) & mask;
        }
        table[gap] = 0;
    }

    /** Keeps {@code id} at ring {@code place}: its characters inline where they fit, else the string. */
    private void keep(int place, String id) {
        int length = id.length();
        boolean fits = length <= INLINE_CHARACTERS;
        int base = place * INLINE_CHARACTERS;
        for (int i = 0; fits && i < length; i++) {
            char c = id.charAt(i);
            fits = c <= 0xFF;
            inline[base + i] = (byte) c;
        }
        inlineLengths[place] = (byte) (fits ? length + 1 : 0);
        if (!fits || overflow[place] != null) {
            overflow[place] = fits ? null : id;
        }
    }

    /** Whether ring {@code place} holds an id equal to {@code id}. */
    private boolean holds(int place, String id) {
        int length = (inlineLengths[place] & 0xFF) - 1;
        if (length < 0) {
            return id.equals(overflow[place]);
        }
        if (id.length() != length) {
            return false;
        }
        int base = place * INLINE_CHARACTERS;
        for (int i = 0; i < length; i++) {
            if (id.charAt(i) != (inline[base + i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static long entry(int hash, int place) {
        return (long) hash << 32 | place;
    }

    /**
     * The id's hash code scrambled, never 0. Ids are a prefix and a counter, so their hash codes are
     * nearly consecutive; kept as they were, they filled runs of neighbouring slots, and a linear probe
     * walked about 30 slots per new id in a full window instead of about one. A multiply by the
     * golden ratio's constant and a fold of its high bits down spread consecutive codes over the table.
     */
    static int hash(String id) {
        int h = id.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) | USED;
    }
}
