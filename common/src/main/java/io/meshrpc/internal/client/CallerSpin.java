package io.meshrpc.internal.client;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long a caller blocked on a call's result ({@code join()}, {@code get()}) spins before it parks
 * ({@code meshrpc.caller-spin}; none by default).
 *
 * <p>Why spin: on the benchmark machine most of a call's extra time over a raw JeroMQ echo went into
 * waking parked threads on idle cores, the caller's among them; a caller that keeps its core awake
 * for a reply that arrives within the budget answered in 81–88 µs instead of 122–128 µs, for about
 * as much CPU more per call as it spun. That trade is the operator's to make, so it is off by
 * default.
 *
 * <p>At most one caller of a node spins at a time: others park at once, so a node burns at most one
 * core on waiting, however many of its threads wait. Not for callers that compose the future
 * ({@code thenApply} ...): nothing blocks there.
 */
public final class CallerSpin {

    private final long budgetNanos;
    private final AtomicBoolean taken = new AtomicBoolean();

    /** @param budget longest spin per blocked caller; zero for none */
    public CallerSpin(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("meshrpc.caller-spin must not be negative: " + budget);
        }
        this.budgetNanos = budget.toNanos();
    }

    /**
     * Spins until {@code future} is done, the budget or {@code limitNanos} runs out, or the thread is
     * interrupted, whichever is first; returns at once when there is no budget or another caller of
     * this node spins.
     *
     * @return whether the future was done when the spin ended (false when it did not spin)
     */
    boolean await(Future<?> future, long limitNanos) {
        if (budgetNanos == 0 || future.isDone() || !taken.compareAndSet(false, true)) {
            return false;
        }
        try {
            long deadline = System.nanoTime() + Math.min(budgetNanos, limitNanos);
            // an interrupt ends the spin, so that get() throws InterruptedException without delay
            while (!future.isDone() && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            return future.isDone();
        } finally {
            taken.set(false);
        }
    }

    /** Whether a caller spins now. */
    boolean spinning() {
        return taken.get();
    }
}
