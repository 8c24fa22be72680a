package io.meshrpc.bench;

/**
 * What one run of a scenario achieved.
 *
 * @param completed    messages that completed (ACKed casts, answered round trips)
 * @param errors       messages that failed (counted apart, never in the throughput)
 * @param elapsedNanos from the first send to the last completion, in-flight tail included
 * @param firstError   the first failure's description, or {@code null}
 */
public record RunStats(long completed, long errors, long elapsedNanos, String firstError) {

    public static RunStats of(long completed, long elapsedNanos) {
        return new RunStats(completed, 0, elapsedNanos, null);
    }

    public double seconds() {
        return elapsedNanos / 1e9;
    }

    public double perSecond() {
        return elapsedNanos == 0 ? Double.NaN : completed / seconds();
    }
}
