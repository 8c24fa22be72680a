package io.meshrpc.gateway.servers;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A check over every server, run on one timer thread of its own while the application runs. Servers
 * cost no thread and no timer task each; tests call {@link #sweep()} themselves and move the clock.
 */
abstract class PeriodicSweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicSweep.class);

    private final String threadName;
    private final Duration interval;
    private volatile ScheduledExecutorService timer;

    PeriodicSweep(String threadName, Duration interval) {
        this.threadName = threadName;
        this.interval = interval;
    }

    /** One pass; returns how many servers it acted on. */
    public abstract int sweep();

    @Override
    public void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long every = interval.toMillis();
        t.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException ex) {
                log.warn("{} failed; trying again in {} ms", threadName, every, ex);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        timer = t;
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
