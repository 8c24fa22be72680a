package io.meshrpc.internal.server;

import java.util.Arrays;

/**
 * The stems of the sequenced ids a {@link DedupWindow} holds (an id's characters up to and including
 * its last {@code '-'}: one per sending process for meshrpc's ids), each with a number and a count of
 * the ring places that use it. A stem is forgotten with the last id that used it, so the table holds
 * at most as many stems as the window holds ids; it starts small and doubles as senders appear.
 *
 * <p>Found without allocating: a stem is compared in place with the id's first characters, and the
 * stem found last is tried first, since most ids come from the sender of the one before.
 */
final class DedupStems {

    private static final int FIRST_CAPACITY = 16;

    private final int maxStems;
    private final KeyedHash hashes;
    /** By number: the stem, or {@code null} for a free number. */
    private String[] stems;
    /** By number: how many ring places use the stem. */
    private int[] references;
    /** Open addressing, at most half full: a stem's number + 1, 0 for an empty slot. */
    private int[] slots;
    private int mask;
    /** Numbers never handed out start here; freed ones are kept in {@link #free}. */
    private int fresh;
    private int[] free;
    private int freeCount;
    /** The stem found last, or -1. */
    private int last = -1;

    DedupStems(int maxStems, KeyedHash hashes) {
        this.maxStems = maxStems;
        this.hashes = hashes;
        int capacity = Math.min(FIRST_CAPACITY, maxStems);
        this.stems = new String[capacity];
        this.references = new int[capacity];
        this.free = new int[capacity];
        allocateSlots(capacity);
    }

    /** The number of the stem equal to {@code id}'s first {@code length} characters, or -1 if none is held. */
    int find(String id, int length) {
        int known = last;
        if (known >= 0 && matches(known, id, length)) {
            return known;
        }
        for (int slot = hashes.of(id, length) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            int number = slots[slot] - 1;
            if (matches(number, id, length)) {
                last = number;
                return number;
            }
        }
        return -1;
    }

    /** The number of {@code id}'s stem, added if it is new, counted once more as used. */
    int acquire(String id, int length) {
        int number = find(id, length);
        if (number < 0) {
            number = add(id.substring(0, length));
        }
        references[number]++;
        return number;
    }

    /**
     * As {@link #acquire(String, int)}, given the number {@link #find} returned for the same id a
     * moment before (or -1): that stem is counted again without comparing its characters a second
     * time, unless the window forgot it meanwhile (a freed number is not handed out before the next
     * {@code add}).
     */
    int acquire(int found, String id, int length) {
        if (found >= 0 && stems[found] != null) {
            references[found]++;
            return found;
        }
        return acquire(id, length);
    }

    /** Counts the stem {@code number} once less as used; forgets it when nothing uses it. */
    void release(int number) {
        if (--references[number] > 0) {
            return;
        }
        String stem = stems[number];
        int slot = hashes.of(stem, stem.length()) & mask;
        while (slots[slot] != number + 1) {
            slot = (slot + 1) & mask;
        }
        delete(slot);
        stems[number] = null;
        free[freeCount++] = number;
        if (last == number) {
            last = -1;
        }
    }

    /** How many stems are held. */
    int size() {
        return fresh - freeCount;
    }

    private boolean matches(int number, String id, int length) {
        String stem = stems[number];
        return stem != null && stem.length() == length && id.regionMatches(0, stem, 0, length);
    }

    private int add(String stem) {
        if (freeCount == 0 && fresh == stems.length) {
            grow();
        }
        int number = freeCount > 0 ? free[--freeCount] : fresh++;
        stems[number] = stem;
        references[number] = 0;
        insert(number);
        last = number;
        return number;
    }

    private void insert(int number) {
        String stem = stems[number];
        int slot = hashes.of(stem, stem.length()) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = number + 1;
    }

    /** Empties {@code slot} and moves later entries of its probe run back, so that no run has a gap. */
    private void delete(int slot) {
        int gap = slot;
        int at = (slot + 1) & mask;
        for (int e = slots[at]; e != 0; e = slots[at]) {
            String stem = stems[e - 1];
            if (!ProbeRuns.staysAfterGap(gap, at, hashes.of(stem, stem.length()) & mask)) {
                slots[gap] = e;
                gap = at;
            }
            at = (at + 1) & mask;
        }
        slots[gap] = 0;
    }

    private void grow() {
        if (stems.length >= maxStems) {
            // cannot happen: each held stem is used by at least one of the window's places
            throw new IllegalStateException("more stems than the window holds ids: " + maxStems);
        }
        int capacity = Math.min(stems.length * 2, maxStems);
        stems = Arrays.copyOf(stems, capacity);
        references = Arrays.copyOf(references, capacity);
        free = Arrays.copyOf(free, capacity);
        allocateSlots(capacity);
        for (int number = 0; number < fresh; number++) {
            if (stems[number] != null) {
                insert(number);
            }
        }
    }

    private void allocateSlots(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // a power of two >= 2 * capacity
        slots = new int[size];
        mask = size - 1;
    }

}
