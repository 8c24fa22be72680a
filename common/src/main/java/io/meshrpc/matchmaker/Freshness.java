package io.meshrpc.matchmaker;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the view has not been known current: nothing before the service first answered, zero while it
 * answers (a watch waiting on it is the proof), and the time since the first failure while it does not.
 */
final class Freshness {

    private boolean known;
    private boolean failing;
    private long failingSinceNanos;

    /**
     * The service answered: what is held is current.
     *
     * @return whether it had been failing until now
     */
    synchronized boolean answered() {
        boolean recovered = failing;
        known = true;
        failing = false;
        return recovered;
    }

    /**
     * The service did not answer; the age counts from the first failure in a row.
     *
     * @return whether this is that first failure
     */
    synchronized boolean failed() {
        if (failing) {
            return false;
        }
        failing = true;
        failingSinceNanos = System.nanoTime();
        return true;
    }

    synchronized Optional<Duration> age() {
        if (!known) {
            return Optional.empty();
        }
        return Optional.of(failing ? Duration.ofNanos(System.nanoTime() - failingSinceNanos) : Duration.ZERO);
    }
}
