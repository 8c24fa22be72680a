package io.meshrpc.matchmaker.service.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs {@link NodeRegistry#sweep()} every sweep interval on one daemon thread, from start to stop of the context. */
public class ExpirySweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final NodeRegistry registry;
    private final Duration interval;
    private volatile ScheduledExecutorService executor;

    public ExpirySweeper(NodeRegistry registry, Duration interval) {
        this.registry = registry;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "matchmaker-sweeper");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            int removed = registry.sweep();
            if (removed > 0) {
                log.info("Removed {} node(s) whose time to live passed", removed);
            }
        } catch (RuntimeException ex) { // keep sweeping: a store hiccup must not end expiry for good
            log.warn("Expiry sweep failed: {}", ex.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
