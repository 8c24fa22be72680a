package io.meshrpc.bench;

import java.time.Duration;

/** The measuring loop of the call scenarios: round trips strictly one at a time, one latency each. */
final class RoundTrips {

    /** One request and its answer; throws when the answer is missing or wrong. */
    @FunctionalInterface
    interface RoundTrip {
        void once() throws Exception;
    }

    private RoundTrips() {
    }

    /** Repeats {@code roundTrip} for {@code duration}; msgs/s is then the inverse of the mean round trip. */
    static RunStats sequential(Duration duration, LatencyRecorder latencies, RoundTrip roundTrip) throws Exception {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long completed = 0;
        long now = start;
        while (now < deadline) {
            long sentAt = System.nanoTime();
            roundTrip.once();
            now = System.nanoTime();
            latencies.record(now - sentAt);
            completed++;
        }
        return RunStats.of(completed, now - start);
    }
}
