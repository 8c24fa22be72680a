package io.meshrpc.bench;

import java.util.Arrays;

/**
 * The latencies of a measurement: a primitive array that grows by doubling, sorted once at the end
 * for percentiles.
 *
 * <p>Samples rather than a histogram, because p99.9 is what the targets compare and a sorted array
 * gives it exactly. Up to {@link #MAX_SAMPLES} every latency is kept (8 bytes each); past that the
 * recorder keeps every other sample and halves what it keeps from then on, a uniform thinning that
 * leaves the percentiles unbiased and the memory bounded however fast the machine is (the maximum
 * is tracked apart, exactly). Recording is
 * synchronized because meshrpc completes futures on its own threads; the lock is uncontended on
 * the raw paths and costs the same few nanoseconds in every scenario.
 */
public final class LatencyRecorder {

    /** 16 M samples, 128 MB: exact for a 30-second run at half a million messages a second. */
    static final int MAX_SAMPLES = 1 << 24;

    private final int maxSamples;
    private long[] samples;
    private int size;
    private long recorded;
    private long stride = 1;
    private long max;

    public LatencyRecorder(int initialCapacity) {
        this(initialCapacity, MAX_SAMPLES);
    }

    LatencyRecorder(int initialCapacity, int maxSamples) {
        this.maxSamples = maxSamples;
        this.samples = new long[Math.min(maxSamples, Math.max(16, initialCapacity))];
    }

    /** Adds one latency in nanoseconds. */
    public synchronized void record(long nanos) {
        max = Math.max(max, nanos);
        if (recorded++ % stride != 0) {
            return;
        }
        if (size == samples.length) {
            makeRoom();
        }
        samples[size++] = nanos;
    }

    private void makeRoom() {
        if (samples.length < maxSamples) {
            samples = Arrays.copyOf(samples, Math.min(maxSamples, samples.length * 2));
            return;
        }
        for (int i = 1; i < size / 2 + size % 2; i++) {
            samples[i] = samples[2 * i];
        }
        size = size / 2 + size % 2;
        stride *= 2;
    }

    /** Latencies recorded, kept or not. */
    public synchronized long count() {
        return recorded;
    }

    /** Percentiles of everything recorded so far; sorts the kept samples in place. */
    public synchronized LatencySummary summarize() {
        Arrays.sort(samples, 0, size);
        return LatencySummary.of(samples, size, recorded, max);
    }
}
