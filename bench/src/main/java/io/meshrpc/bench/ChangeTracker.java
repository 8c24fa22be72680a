package io.meshrpc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * How long a change of the registry takes to reach its watchers: {@code change_ms} of one change is
 * the time from its 2xx answer (which carried the change's revision) until every watcher of the
 * change's topic has received an answer with a revision at least as high.
 *
 * <p>Watchers count for a change when they held a view (their first snapshot) when the change was
 * answered: a node that joins later starts from a snapshot that already has it. A watcher that
 * leaves before it saw the change stops counting. A watcher that saw it before the writer had its
 * answer counts as 0 ms. Without revisions on the wire ({@link #changeLocally}), a change gets the
 * next number of a local sequence and a view the number current when its request left: then a view
 * sees a change if it was requested after the change was answered.
 *
 * <p>Called from the simulator's loop threads; every method is synchronized (a few thousand calls a
 * second, each touching a handful of objects).
 */
final class ChangeTracker {

    /** A simulated node as the tracker sees it: the topics it watches and the revision it holds. */
    static class Watcher {
        final int[] topics;
        long held = Long.MIN_VALUE;
        boolean active;
        long activeSeq;

        Watcher(int[] topics) {
            this.topics = topics;
        }
    }

    private static final class Change {
        final long revision;
        final long answeredAt;
        final long seq;
        final boolean measured;
        int pending;
        long lastAt;

        Change(long revision, long answeredAt, long seq, boolean measured) {
            this.revision = revision;
            this.answeredAt = answeredAt;
            this.seq = seq;
            this.measured = measured;
            this.lastAt = answeredAt;
        }
    }

    /**
     * The changes answered while measuring.
     *
     * @param count      changes answered during the measurement
     * @param incomplete those that had not reached every watcher when asked (counted in the
     *                   percentiles at their age then: a lower bound)
     * @param p50Ms      median change_ms
     * @param p99Ms      nearest-rank 99th percentile
     * @param maxMs      the slowest
     */
    record Summary(int count, int incomplete, double p50Ms, double p99Ms, double maxMs) {
    }

    private final List<Set<Watcher>> watchers = new ArrayList<>();
    private final List<List<Change>> pending = new ArrayList<>();
    private final List<Long> measuredNanos = new ArrayList<>();
    private long seq;
    private int measuredCount;

    ChangeTracker(int topics) {
        for (int t = 0; t < topics; t++) {
            watchers.add(new HashSet<>());
            pending.add(new ArrayList<>());
        }
    }

    /** The local sequence's current number (what a view requested now will reflect). */
    synchronized long seq() {
        return seq;
    }

    /** {@code w} holds its first view, of {@code revision}: from now on it counts for new changes of its topics. */
    synchronized void activate(Watcher w, long revision) {
        w.held = revision;
        w.active = true;
        w.activeSeq = seq;
        for (int t : w.topics) {
            watchers.get(t).add(w);
        }
    }

    /** {@code w} received an answer of {@code revision} at {@code now}. */
    synchronized void answered(Watcher w, long revision, long now) {
        if (!w.active || revision <= w.held) {
            return;
        }
        long old = w.held;
        w.held = revision;
        for (int t : w.topics) {
            Iterator<Change> it = pending.get(t).iterator();
            while (it.hasNext()) {
                Change c = it.next();
                if (c.seq > w.activeSeq && old < c.revision && c.revision <= revision) {
                    c.lastAt = Math.max(c.lastAt, now);
                    if (--c.pending == 0) {
                        it.remove();
                        done(c, c.lastAt);
                    }
                }
            }
        }
    }

    /** {@code w} left (or lost its view): the changes it had not seen stop waiting for it. */
    synchronized void deactivate(Watcher w) {
        if (!w.active) {
            return;
        }
        w.active = false;
        for (int t : w.topics) {
            watchers.get(t).remove(w);
            Iterator<Change> it = pending.get(t).iterator();
            while (it.hasNext()) {
                Change c = it.next();
                if (c.seq > w.activeSeq && w.held < c.revision && --c.pending == 0) {
                    it.remove();
                    done(c, c.lastAt);
                }
            }
        }
        w.held = Long.MIN_VALUE;
    }

    /** A change of {@code topic} was answered at {@code now} with {@code revision}. */
    synchronized void change(int topic, long revision, long now, boolean measured) {
        register(topic, revision, now, measured);
    }

    /** A change of {@code topic} answered at {@code now}, numbered from the local sequence. */
    synchronized void changeLocally(int topic, long now, boolean measured) {
        register(topic, seq + 1, now, measured);
    }

    private void register(int topic, long revision, long now, boolean measured) {
        Change c = new Change(revision, now, ++seq, measured);
        if (measured) {
            measuredCount++;
        }
        for (Watcher w : watchers.get(topic)) {
            if (w.held < revision) {
                c.pending++;
            }
        }
        if (c.pending == 0) {
            done(c, now);
        } else {
            pending.get(topic).add(c);
        }
    }

    private void done(Change c, long at) {
        if (c.measured) {
            measuredNanos.add(Math.max(0, at - c.answeredAt));
        }
    }

    /** Measured changes that have not reached every watcher yet. */
    synchronized int measuredPending() {
        int n = 0;
        for (List<Change> list : pending) {
            for (Change c : list) {
                if (c.measured) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Percentiles of the measured changes; those still pending count at their age at {@code now}. */
    synchronized Summary summary(long now) {
        List<Long> all = new ArrayList<>(measuredNanos);
        int incomplete = 0;
        for (List<Change> list : pending) {
            for (Change c : list) {
                if (c.measured) {
                    incomplete++;
                    all.add(Math.max(0, now - c.answeredAt));
                }
            }
        }
        if (all.isEmpty()) {
            return new Summary(measuredCount, incomplete, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Summary(measuredCount, incomplete, LatencySummary.percentile(sorted, sorted.length, 0.50) / 1e6,
                LatencySummary.percentile(sorted, sorted.length, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }
}
