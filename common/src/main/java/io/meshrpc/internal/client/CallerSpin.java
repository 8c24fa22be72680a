package io.meshrpc.internal.client;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long a caller blocked on a call's result ({@code join()}, {@code get()}) spins before it parks
 * ({@code meshrpc.caller-spin}, 200 µs by default; {@code 0} parks at once).
 *
 * <p>Why spin: most of a call's time over a raw JeroMQ echo goes into waking parked threads, and on
 * a machine whose idle cores sleep (a VM's above all) each wake-up costs tens of microseconds. A
 * caller that stays awake for a reply arriving within the budget skips the last of them, and keeps a
 * core out of its sleep for the others.
 *
 * <p>What bounds its cost:
 * <ul>
 *   <li>At most one caller of a node spins at a time; the others park at once, so a node spends at
 *       most one core on waiting, however many of its threads wait.</li>
 *   <li>The spinner yields its core on every turn ({@link Thread#yield()}): a thread that has work
 *       on that core runs first, so the spin takes only time the core would otherwise sleep.</li>
 *   <li>A spin that runs out its budget without the reply makes the node's next callers park at
 *       once: one call after the first miss, then twice as many after each further miss in a row,
 *       up to {@value #MAX_PARKED_AFTER_MISSES}; a spin that sees its reply starts over. A node whose
 *       calls take longer than the budget spins on one call in 65: about 3 µs per call with the
 *       default budget of 200 µs.</li>
 * </ul>
 * Callers that compose the future ({@code thenApply} ...) never spin: nothing blocks there.
 */
public final class CallerSpin {

    /** The most calls parked at once after spins that ran out in a row. */
    static final int MAX_PARKED_AFTER_MISSES = 64;

    private final long budgetNanos;
    private final AtomicBoolean taken = new AtomicBoolean();
    /** Calls parked at once after the last miss; written only by the thread holding {@link #taken}. */
    private int parkedAfterMiss;
    /** Of those, how many are left; written only by the thread holding {@link #taken}. */
    private int parkNext;

    /** @param budget longest spin per blocked caller; zero for none */
    public CallerSpin(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("meshrpc.caller-spin must not be negative: " + budget);
        }
        this.budgetNanos = budget.toNanos();
    }

    /**
     * Spins until {@code future} is done, the budget or {@code limitNanos} runs out, or the thread is
     * interrupted, whichever is first; returns at once when there is no budget, another caller of
     * this node spins, or spins ran out just before.
     *
     * @return whether the future was done when the spin ended (false when it did not spin)
     */
    boolean await(Future<?> future, long limitNanos) {
        if (budgetNanos == 0 || future.isDone() || !taken.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (parkNext > 0) {
                parkNext--;
                return false;
            }
            boolean byBudget = budgetNanos <= limitNanos;
            long deadline = System.nanoTime() + Math.min(budgetNanos, limitNanos);
            // an interrupt ends the spin, so that get() throws InterruptedException without delay
            while (!future.isDone() && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
                Thread.yield();
            }
            boolean done = future.isDone();
            if (done) {
                parkedAfterMiss = 0;
            } else if (byBudget && !Thread.currentThread().isInterrupted()) {
                parkedAfterMiss = Math.min(MAX_PARKED_AFTER_MISSES, Math.max(1, 2 * parkedAfterMiss));
                parkNext = parkedAfterMiss;
            }
            return done;
        } finally {
            taken.set(false);
        }
    }

    /** Whether a caller spins now. */
    boolean spinning() {
        return taken.get();
    }
}
