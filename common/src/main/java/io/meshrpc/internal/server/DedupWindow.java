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
 *
 * <p>A sequenced id, a stem ending in {@code '-'} and a counter in lower-case hexadecimal (meshrpc's
 * own ids: a random prefix per process and a counter), is not kept by its characters at all: its
 * table entry stands for 64 consecutive counters of one stem, with a bit for each. A sender's ids
 * then land on the entry of the id before, and the oldest id's entry is the one the ids before it
 * used, so a cast's look-up, record and eviction touch memory already in the cache instead of two
 * random places of a table larger than the cache: the window cost the cast benchmark's receiver
 * about 0.4 µs of CPU per cast at 100,000 ids against a window of 1,000. Ids of any other shape
 * (UUIDs, an id with a leading zero or an upper-case digit in its counter) are kept as before, so
 * a string maps to exactly one of the two kinds and no id is ever taken for another.
 */
public final class DedupWindow {

    /** Most ids a window holds: their characters, {@value #INLINE_CHARACTERS} bytes each, must be an array. */
    public static final int MAX_CAPACITY = 1 << 25;
    /** The longest id kept as characters in {@link #inline} rather than as a string. */
    static final int INLINE_CHARACTERS = 40;
    /** The longest stem of a sequenced id, its {@code '-'} included. */
    static final int MAX_STEM = 64;
    /** The most hexadecimal digits of a sequenced id's counter: 44 bits, the rest of a table entry. */
    static final int MAX_COUNTER_DIGITS = 11;
    /** Set in every stored hash, so that no entry is 0, which marks an empty slot; above any slot's bits. */
    private static final int USED = 1 << 31;
    /** Set in a sequenced id's entry: its low word is then not a ring place. */
    private static final long SEQUENCED = 1L << 31;
    private static final int STEM_BITS = 25;
    /** A ring place's shape for a sequenced id: this flag and the id's bit in its entry's 64. */
    private static final int SHAPE_SEQUENCED = 0x40;

    /** By ring place: the characters of an id kept inline, {@link #INLINE_CHARACTERS} bytes a place. */
    private final byte[] inline;
    /**
     * By ring place: 1 + the length of an id kept inline, 0 where {@link #overflow} holds it, or
     * {@link #SHAPE_SEQUENCED} with the bit of a sequenced id.
     */
    private final byte[] shapes;
    /** By ring place: an id too long for {@link #inline}, or with a character beyond Latin-1. */
    private final String[] overflow;
    /** By ring place: the id's table entry, or 0 where the id was forgotten. */
    private final long[] ringEntries;
    /**
     * Entries {@code hash << 32 | ring place} for other ids and {@code counter / 4096 << 32 | SEQUENCED
     * | (counter / 64) % 64 << 25 | stem} for sequenced ones; 0 is an empty slot.
     */
    private final long[] table;
    /** By slot: which of a sequenced entry's 64 counters the window holds. */
    private final long[] sequencedBits;
    private final int mask;
    private final DedupStems stems;
    private final KeyedHash hashes;
    private int next;
    /** Whether the ring went round once: from then on the place {@link #next} holds the oldest id. */
    private boolean wrapped;
    private int size;

    public DedupWindow(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("dedup window capacity must be 1 to " + MAX_CAPACITY + ", was " + capacity);
        }
        this.inline = new byte[capacity * INLINE_CHARACTERS];
        this.shapes = new byte[capacity];
        this.overflow = new String[capacity];
        this.ringEntries = new long[capacity];
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // a power of two >= 2 * capacity
        this.table = new long[slots];
        this.sequencedBits = new long[slots];
        this.mask = slots - 1;
        this.hashes = KeyedHash.random();
        this.stems = new DedupStems(capacity, hashes);
    }

    /** Records {@code id}; returns {@code false} if it was already in the window. */
    public synchronized boolean firstSeen(String id) {
        int stemLength = stemLength(id);
        return stemLength > 0 ? firstSeenSequenced(id, stemLength) : firstSeenOther(id);
    }

    /**
     * Forgets {@code id} again, for a message that was recorded but then could not be queued: the
     * sender will retry it and the retry must not be mistaken for a duplicate. The retry takes a
     * place of its own in the ring and stays for that place's turn.
     */
    public synchronized void forget(String id) {
        int stemLength = stemLength(id);
        if (stemLength > 0) {
            forgetSequenced(id, stemLength);
            return;
        }
        int slot = slotOf(id, hash(id));
        if (slot >= 0) {
            ringEntries[(int) table[slot]] = 0;
            delete(slot);
            size--;
        }
    }

    /** How many ids the window holds now (at most its capacity). */
    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return ringEntries.length;
    }

    /** How many stems of sequenced ids the window holds now. */
    synchronized int stemCount() {
        return stems.size();
    }

    /** How many table entries the window uses now: one per other id, one per 64 counters of a stem. */
    synchronized int tableEntries() {
        int taken = 0;
        for (long e : table) {
            taken += e == 0 ? 0 : 1;
        }
        return taken;
    }

    private boolean firstSeenSequenced(String id, int stemLength) {
        long counter = counter(id, stemLength);
        long bit = 1L << (counter & 63);
        int stem = stems.find(id, stemLength);
        if (stem >= 0) {
            int slot = sequencedSlot(sequencedEntry(stem, counter));
            if (slot >= 0 && (sequencedBits[slot] & bit) != 0) {
                return false;
            }
        }
        evictOldest();
        stem = stems.acquire(stem, id, stemLength); // after the eviction, which may have forgotten this very stem
        long entry = sequencedEntry(stem, counter);
        int slot = sequencedSlot(entry);
        if (slot < 0) {
            slot = ~slot;
            table[slot] = entry;
            sequencedBits[slot] = 0;
        }
        sequencedBits[slot] |= bit;
        shapes[next] = (byte) (SHAPE_SEQUENCED | (int) (counter & 63));
        if (overflow[next] != null) {
            overflow[next] = null;
        }
        record(entry);
        return true;
    }

    private boolean firstSeenOther(String id) {
        int hash = hash(id);
        int slot = slotOf(id, hash);
        if (slot >= 0) {
            return false;
        }
        if (evictOldest()) {
            slot = slotOf(id, hash); // removing the oldest may have moved the end of this id's probe run
        }
        long entry = entry(hash, next);
        table[~slot] = entry;
        keep(next, id);
        record(entry);
        return true;
    }

    /** Puts {@code entry} at the ring's next place, whose shape is set. */
    private void record(long entry) {
        ringEntries[next] = entry;
        size++;
        if (++next == ringEntries.length) {
            next = 0;
            wrapped = true;
        }
    }

    /** Forgets the oldest id if the ring is full; returns whether the table changed. */
    private boolean evictOldest() {
        if (!wrapped) {
            return false;
        }
        long entry = ringEntries[next];
        if (entry == 0) {
            return false; // forgotten already
        }
        if ((entry & SEQUENCED) != 0) {
            clearSequenced(sequencedSlot(entry), shapes[next] & 63);
            stems.release(stemOf(entry));
        } else {
            remove(entry);
        }
        size--;
        return true;
    }

    private void forgetSequenced(String id, int stemLength) {
        int stem = stems.find(id, stemLength);
        if (stem < 0) {
            return;
        }
        long counter = counter(id, stemLength);
        long entry = sequencedEntry(stem, counter);
        int slot = sequencedSlot(entry);
        if (slot < 0 || (sequencedBits[slot] & 1L << (counter & 63)) == 0) {
            return;
        }
        // the place is found by going back from the newest: forget follows the sighting it undoes
        byte shape = (byte) (SHAPE_SEQUENCED | (int) (counter & 63));
        int place = next;
        do {
            place = (place == 0 ? ringEntries.length : place) - 1;
        } while (ringEntries[place] != entry || shapes[place] != shape);
        ringEntries[place] = 0;
        clearSequenced(slot, (int) (counter & 63));
        stems.release(stem);
        size--;
    }

    /** Clears bit {@code bit} of the sequenced entry at {@code slot}, and the entry once no bit is left. */
    private void clearSequenced(int slot, int bit) {
        long bits = sequencedBits[slot] & ~(1L << bit);
        sequencedBits[slot] = bits;
        if (bits == 0) {
            delete(slot);
        }
    }

    /** The slot holding sequenced {@code entry}, or {@code ~slot} of the empty slot where it would go. */
    private int sequencedSlot(long entry) {
        int slot = home(entry);
        for (long e = table[slot]; e != 0; e = table[slot]) {
            if (e == entry) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return ~slot;
    }

    /** The slot whose entry is an id equal to {@code id}, or {@code ~slot} of the empty slot where it would go. */
    private int slotOf(String id, int hash) {
        int slot = hash & mask;
        for (long e = table[slot]; e != 0; e = table[slot]) {
            if ((int) (e >>> 32) == hash && (e & SEQUENCED) == 0 && holds((int) e, id)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return ~slot;
    }

    /** Removes {@code entry}, an id's that the window holds. */
    private void remove(long entry) {
        for (int slot = home(entry); table[slot] != 0; slot = (slot + 1) & mask) {
            if (table[slot] == entry) {
                delete(slot);
                return;
            }
        }
    }

    /** Empties {@code slot} and moves later entries of its probe run back, so that no run has a gap. */
    private void delete(int slot) {
        int gap = slot;
        int at = (slot + 1) & mask;
        for (long e = table[at]; e != 0; e = table[at]) {
            if (!ProbeRuns.staysAfterGap(gap, at, home(e))) {
                table[gap] = e;
                sequencedBits[gap] = sequencedBits[at];
                gap = at;
            }
            at = (at + 1) & mask;
        }
        table[gap] = 0;
        sequencedBits[gap] = 0;
    }

    /** The slot where an entry's probe run starts. */
    private int home(long entry) {
        return ((entry & SEQUENCED) == 0 ? (int) (entry >>> 32) : hashes.of(entry)) & mask;
    }

    /** Keeps {@code id} at the ring's next place: its characters inline where they fit, else the string. */
    private void keep(int place, String id) {
        int length = id.length();
        boolean fits = length <= INLINE_CHARACTERS;
        int base = place * INLINE_CHARACTERS;
        for (int i = 0; fits && i < length; i++) {
            char c = id.charAt(i);
            fits = c <= 0xFF;
            inline[base + i] = (byte) c;
        }
        shapes[place] = (byte) (fits ? length + 1 : 0);
        if (!fits || overflow[place] != null) {
            overflow[place] = fits ? null : id;
        }
    }

    /** Whether ring {@code place}, holding an id that is not sequenced, holds one equal to {@code id}. */
    private boolean holds(int place, String id) {
        int length = (shapes[place] & 0xFF) - 1;
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

    private static long sequencedEntry(int stem, long counter) {
        return counter >>> 12 << 32 | SEQUENCED | (counter >>> 6 & 63) << STEM_BITS | stem;
    }

    private static int stemOf(long entry) {
        return (int) entry & (1 << STEM_BITS) - 1;
    }

    /**
     * The length of {@code id}'s stem if it is a sequenced id, else 0: a stem of at most
     * {@value #MAX_STEM} characters ending in {@code '-'}, then a counter of 1 to
     * {@value #MAX_COUNTER_DIGITS} lower-case hexadecimal digits without a leading zero, as
     * {@link Long#toHexString} writes it. One string, one stem and counter: the two kinds never meet.
     */
    static int stemLength(String id) {
        int length = id.length();
        int stop = Math.max(0, length - MAX_COUNTER_DIGITS - 1);
        for (int i = length - 1; i >= stop; i--) {
            char c = id.charAt(i);
            if (c == '-') {
                int digits = length - 1 - i;
                boolean canonical = digits == 1 || digits > 1 && id.charAt(i + 1) != '0';
                return digits > 0 && canonical && i < MAX_STEM ? i + 1 : 0;
            }
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return 0;
            }
        }
        return 0;
    }

    /** The counter of a sequenced id whose stem is {@code stemLength} characters long. */
    static long counter(String id, int stemLength) {
        long counter = 0;
        for (int i = stemLength; i < id.length(); i++) {
            char c = id.charAt(i);
            counter = counter << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return counter;
    }

    /** The id's hash code, never 0: keyed, so that no peer can send ids that share one. */
    int hash(String id) {
        return hashes.of(id, id.length()) | USED;
    }
}
