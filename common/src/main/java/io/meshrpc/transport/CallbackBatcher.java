package io.meshrpc.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor application callbacks run on. A transport's I/O thread completes many futures per
 * loop round; handing each callback to the pool on its own would cost a queue operation and a
 * thread wake-up per message. Between {@link #open()} and {@link #flush()} on the I/O thread,
 * callbacks are collected and handed over as one task; from any other thread they go straight to
 * the pool.
 *
 * <p>One thread collects at a time, the one that opened the batcher: it is named in a field rather
 * than found through a {@code ThreadLocal}, whose look-up showed in the cast profile (every cast's
 * completion passes here).
 */
public final class CallbackBatcher implements Executor {

    private static final Logger log = LoggerFactory.getLogger(CallbackBatcher.class);

    private final Executor pool;
    /** The thread that collects, or null. */
    private volatile Thread owner;
    /** Touched by {@link #owner} only. */
    private final List<Runnable> batch = new ArrayList<>();

    public CallbackBatcher(Executor pool) {
        this.pool = pool;
    }

    /**
     * Starts collecting callbacks on the calling (I/O) thread, unless another thread collects already
     * (its callbacks then go to the pool one by one).
     */
    public synchronized void open() {
        if (owner == null) {
            owner = Thread.currentThread();
        }
    }

    /** Hands what was collected on the calling thread to the pool as one task. */
    public void flush() {
        if (Thread.currentThread() != owner || batch.isEmpty()) {
            return;
        }
        Runnable[] tasks = batch.toArray(new Runnable[0]);
        batch.clear();
        pool.execute(() -> {
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException ex) {
                    log.warn("An RPC callback failed", ex);
                }
            }
        });
    }

    /** Stops collecting on the calling thread, handing over what is left. */
    public synchronized void close() {
        flush();
        if (Thread.currentThread() == owner) {
            owner = null;
        }
    }

    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() == owner) {
            batch.add(task);
        } else {
            pool.execute(task);
        }
    }
}
