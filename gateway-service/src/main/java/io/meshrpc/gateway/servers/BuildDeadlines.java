package io.meshrpc.gateway.servers;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.meshrpc.gateway.GatewayProperties;
import io.meshrpc.services.compute.InstanceStatus;

/**
 * Finds builds whose host has not answered within {@code gateway.build-timeout}, on one timer
 * thread every {@link GatewayProperties#buildSweepInterval()}: a build costs no thread and no timer
 * task of its own, and time is read from the gateway's {@link Clock}, so tests move it.
 */
@Component
public class BuildDeadlines implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BuildDeadlines.class);

    private final ServerRegistry registry;
    private final ServerService servers;
    private final GatewayProperties properties;
    private final Clock clock;
    private volatile ScheduledExecutorService timer;

    public BuildDeadlines(ServerRegistry registry, ServerService servers, GatewayProperties properties, Clock clock) {
        this.registry = registry;
        this.servers = servers;
        this.properties = properties;
        this.clock = clock;
    }

    /** Hands every build past its deadline to the service; returns how many there were. */
    public int sweep() {
        Instant now = clock.instant();
        int overdue = 0;
        for (Server server : registry.snapshot()) {
            if (server.status() == InstanceStatus.BUILDING && server.buildDeadline() != null
                    && now.isAfter(server.buildDeadline())) {
                overdue++;
                servers.buildTimedOut(server);
            }
        }
        return overdue;
    }

    @Override
    public void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gateway-build-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.buildSweepInterval().toMillis();
        t.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException ex) {
                log.warn("Build deadline sweep failed; trying again in {} ms", every, ex);
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
