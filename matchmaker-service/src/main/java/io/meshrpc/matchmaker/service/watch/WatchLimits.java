package io.meshrpc.matchmaker.service.watch;

/**
 * Bounds of the watch hub.
 *
 * @param maxWatches watches held waiting at once; one more is refused with 503
 * @param writerThreads threads that write answers
 * @param coalesce how long the changes that follow a first one are gathered before their watchers are woken
 */
public record WatchLimits(int maxWatches, int writerThreads, java.time.Duration coalesce) {

    public WatchLimits {
        if (coalesce.isNegative()) {
            throw new IllegalArgumentException("meshrpc.matchmaker.watch.coalesce must not be negative, was " + coalesce);
        }
        if (maxWatches < 1 || writerThreads < 1) {
            throw new IllegalArgumentException("watch limits must be positive: max-watches=" + maxWatches
                    + ", writer-threads=" + writerThreads);
        }
    }
}
