package io.meshrpc.internal.server;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Hash codes keyed by a number drawn for each table, so that a peer cannot choose ids that share
 * one. {@link String#hashCode()} is public knowledge: every string made of the pairs {@code "Aa"}
 * and {@code "BB"} has the same, and ids built that way would turn an open-addressing table into a
 * list walked on every message. With the key unknown, no id is likelier than another to collide.
 *
 * <p>A string is read as a polynomial in the key (two characters a term, its length first), modulo
 * 2<sup>64</sup>, and the high half is taken; a number is multiplied by the key. The key is odd.
 */
record KeyedHash(long key) {

    KeyedHash {
        if ((key & 1) == 0) {
            throw new IllegalArgumentException("the key must be odd");
        }
    }

    /** A key drawn at random. */
    static KeyedHash random() {
        return new KeyedHash(ThreadLocalRandom.current().nextLong() | 1);
    }

    /** The hash of the first {@code length} characters of {@code text}. */
    int of(String text, int length) {
        long h = length;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            h = (h + ((long) text.charAt(i) << 16 | text.charAt(i + 1))) * key;
        }
        if (i < length) {
            h = (h + text.charAt(i)) * key;
        }
        return (int) (h >>> 32);
    }

    /** The hash of {@code value}. */
    int of(long value) {
        return (int) (value * key >>> 32);
    }
}
