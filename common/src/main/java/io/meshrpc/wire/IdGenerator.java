package io.meshrpc.wire;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envelope ids: a random per-process prefix and a counter. Unique across nodes without the cost of
 * a {@code UUID.randomUUID()} (a secure random draw) per message.
 */
public final class IdGenerator {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public IdGenerator() {
        byte[] random = new byte[9];
        new SecureRandom().nextBytes(random);
        this.prefix = HexFormat.of().formatHex(random) + "-";
    }

    public String next() {
        return prefix + Long.toHexString(counter.incrementAndGet());
    }
}
