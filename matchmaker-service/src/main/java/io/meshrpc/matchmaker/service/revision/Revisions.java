package io.meshrpc.matchmaker.service.revision;

import java.time.Clock;

/** Where a registry's revisions start. */
public final class Revisions {

    /** Revisions a registry may hand out per millisecond, on average, before it could reach a later start. */
    private static final long PER_MILLISECOND = 1000;

    private Revisions() {
    }

    /**
     * The first revision of a registry that starts now: the clock in milliseconds times a thousand. A registry that
     * restarts (in memory) or starts over (Redis lost its keys) thus starts above every revision it handed out
     * before, so no client's old revision can pass for a new one, and the client gets a snapshot. Stays below
     * 2<sup>53</sup>, exact in JSON numbers, until the year 2255.
     */
    public static long start(Clock clock) {
        return clock.millis() * PER_MILLISECOND;
    }
}
