package io.meshrpc.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header strings that recur from one envelope to the next (topic, method, server, the nodes'
 * ids, context keys), decoded and encoded once and then handed out again, as a JSON parser's symbol
 * table does for field names. A receiver reads the same few of them in every envelope from a peer,
 * and a sender writes them; each was a copy of its bytes and a new string (or a new array), whose
 * hash code the routing look-ups then computed again.
 *
 * <p>Two direct-mapped tables, one per direction: a string's bytes, or its hash code, pick one slot,
 * which keeps the last string seen there. Shared by every thread of a codec without a lock: an entry
 * is immutable, and a thread that reads a stale one, or none, converts the string itself.
 */
final class RecurringStrings {

    private static final int SLOTS = 1024;
    /** Longer strings are converted each time: names are short, and the tables stay small. */
    static final int MAX_BYTES = 64;

    private record Entry(byte[] bytes, String string) {
    }

    private final Entry[] decoded = new Entry[SLOTS];
    private final Entry[] encoded = new Entry[SLOTS];

    /** The UTF-8 string of {@code length} bytes of {@code b} at {@code offset}. */
    String decode(byte[] b, int offset, int length) {
        if (length > MAX_BYTES) {
            return new String(b, offset, length, StandardCharsets.UTF_8);
        }
        int hash = 0;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + b[i];
        }
        int slot = slot(hash);
        Entry entry = decoded[slot];
        if (entry != null && Arrays.equals(entry.bytes, 0, entry.bytes.length, b, offset, offset + length)) {
            return entry.string;
        }
        String string = new String(b, offset, length, StandardCharsets.UTF_8);
        decoded[slot] = new Entry(Arrays.copyOfRange(b, offset, offset + length), string);
        return string;
    }

    /** The UTF-8 bytes of {@code s}, which the caller must not change. */
    byte[] encode(String s) {
        if (s.length() > MAX_BYTES) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        int slot = slot(s.hashCode());
        Entry entry = encoded[slot];
        if (entry != null && entry.string.equals(s)) {
            return entry.bytes;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        encoded[slot] = new Entry(bytes, s);
        return bytes;
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 10)) & (SLOTS - 1);
    }
}
