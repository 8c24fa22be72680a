package io.meshrpc.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor application callbacks run on. A transport's I/O thread completes many futures per
 * loop round; handing each callback to the pool on its own would cost a queue operation and a
 * thread wake-up per message. Between {@link #open()} and {@link #flush()} on an I/O thread,
 * callbacks are collected and handed over as one task; from any other thread they go straight to
 * the pool.
 */
public final class CallbackBatcher implements Executor {

    private static final Logger log = LoggerFactory.getLogger(CallbackBatcher.class);

    private final Executor pool;
    private final ThreadLocal<List<Runnable>> batch = new ThreadLocal<>();

    public CallbackBatcher(Executor pool) {
        this.pool = pool;
    }

    /** Starts collecting callbacks on the calling (I/O) thread. */
    public void open() {
        if (batch.get() == null) {
            batch.set(new ArrayList<>());
        }
    }

    /** Hands what was collected on the calling thread to the pool as one task. */
    public void flush() {
        List<Runnable> collected = batch.get();
        if (collected == null || collected.isEmpty()) {
            return;
        }
        Runnable[] tasks = collected.toArray(new Runnable[0]);
        collected.clear();
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
    public void close() {
        flush();
        batch.remove();
    }

    @Override
    public void execute(Runnable task) {
        List<Runnable> collected = batch.get();
        if (collected != null) {
            collected.add(task);
        } else {
            pool.execute(task);
        }
    }
}
