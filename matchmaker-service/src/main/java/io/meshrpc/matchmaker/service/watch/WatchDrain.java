package io.meshrpc.matchmaker.service.watch;

import org.springframework.context.SmartLifecycle;

/**
 * Drains the {@link WatchHub} when the service stops, before the web server's graceful shutdown, which would
 * otherwise wait for every held watch until its timeout. Stops first (the highest phase), starts last.
 */
public final class WatchDrain implements SmartLifecycle {

    private final WatchHub hub;
    private volatile boolean running;

    public WatchDrain(WatchHub hub) {
        this.hub = hub;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        hub.drain();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
