package io.meshrpc.matchmaker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between attempts at an unreachable service: doubling from {@code first} up to {@code max}, each drawn
 * between half and all of the current step, so that a fleet that lost the service together does not come back
 * to it together. Not thread-safe: one per retrying loop, used under its lock.
 */
final class Backoff {

    private final long firstMillis;
    private final long maxMillis;
    private long stepMillis;

    Backoff(Duration first, Duration max) {
        this.firstMillis = Math.max(1, first.toMillis());
        this.maxMillis = Math.max(firstMillis, max.toMillis());
        this.stepMillis = firstMillis;
    }

    /** The delay before the next attempt; the one after will be about twice as long, up to the maximum. */
    long nextDelayMillis() {
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, step * 2);
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    /** After a success: the next failure starts from the first step again. */
    void reset() {
        stepMillis = firstMillis;
    }
}
