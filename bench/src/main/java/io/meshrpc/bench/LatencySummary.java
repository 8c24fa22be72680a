package io.meshrpc.bench;

/**
 * Latency percentiles of one measurement, in microseconds ({@code NaN} when nothing was recorded).
 * Percentiles use the nearest-rank method: p99 is a latency that was actually observed.
 *
 * @param count latencies recorded (the percentiles may come from a uniform sample of them)
 */
public record LatencySummary(long count, double p50Us, double p99Us, double p999Us, double meanUs,
                             double maxUs) {

    public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    /**
     * Summarizes the first {@code n} latencies of {@code sortedNanos} (nanoseconds, ascending), a
     * uniform sample of {@code count} recorded latencies whose largest was {@code maxNanos}.
     */
    public static LatencySummary of(long[] sortedNanos, int n, long count, long maxNanos) {
        if (n == 0) {
            return EMPTY;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += sortedNanos[i];
        }
        return new LatencySummary(count, micros(percentile(sortedNanos, n, 0.50)),
                micros(percentile(sortedNanos, n, 0.99)), micros(percentile(sortedNanos, n, 0.999)),
                sum / n / 1_000.0, micros(Math.max(maxNanos, sortedNanos[n - 1])));
    }

    /** The nearest-rank percentile {@code q} (0 < q <= 1) of the first {@code n > 0} sorted values. */
    static long percentile(long[] sorted, int n, double q) {
        int rank = (int) Math.ceil(q * n);
        return sorted[Math.min(n, Math.max(1, rank)) - 1];
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }
}
