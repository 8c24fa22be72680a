package io.meshrpc.gateway.servers;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Component;

import io.meshrpc.gateway.GatewayProperties;
import io.meshrpc.services.compute.InstanceStatus;

/**
 * Finds builds whose host has not answered within {@code gateway.build-timeout}, on one timer
 * thread every {@link GatewayProperties#buildSweepInterval()}: a build costs no thread and no timer
 * task of its own, and time is read from the gateway's {@link Clock}, so tests move it.
 */
@Component
public class BuildDeadlines extends PeriodicSweep {

    private final ServerRegistry registry;
    private final ServerService servers;
    private final Clock clock;

    public BuildDeadlines(ServerRegistry registry, ServerService servers, GatewayProperties properties, Clock clock) {
        super("gateway-build-deadlines", properties.buildSweepInterval());
        this.registry = registry;
        this.servers = servers;
        this.clock = clock;
    }

    /** Hands every build past its deadline to the service; returns how many there were. */
    @Override
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
}
