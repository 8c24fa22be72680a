package io.meshrpc.matchmaker.service.watch;

/**
 * Bounds of the watch hub.
 *
 * @param maxWatches watches held waiting at once; one more is refused with 503
 * @param writerThreads threads that write answers
 */
public record WatchLimits(int maxWatches, int writerThreads) {

    public WatchLimits {
        if (maxWatches < 1 || writerThreads < 1) {
            throw new IllegalArgumentException("watch limits must be positive: max-watches=" + maxWatches
                    + ", writer-threads=" + writerThreads);
        }
    }
}
