package io.meshrpc.gateway.servers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.meshrpc.gateway.GatewayProperties;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.compute.InstanceStatus;

/**
 * Finds hosts that left the fleet while holding ACTIVE servers: a host missing from the matchmaker's
 * compute topic for {@code gateway.lost-host-grace} (deregistered, or its registration expired after a
 * crash) has its servers put in ERROR. Looked up in the node's own view of the topic, which it watches
 * anyway to send builds: a pass costs one look-up and a walk over the servers, no request.
 *
 * <p>An empty or stale view judges nothing: a matchmaker that is down, or a view not yet loaded, must
 * not turn a fleet's servers to ERROR.
 */
@Component
public class LostHosts extends PeriodicSweep {

    private final ServerRegistry registry;
    private final ServerService servers;
    private final Matchmaker matchmaker;
    private final Duration grace;
    private final Clock clock;
    /** Hosts of ACTIVE servers seen missing, and since when; touched only by the sweep. */
    private final Map<String, Instant> missingSince = new HashMap<>();
    /** What the last sweep found, for the API's views: read by request threads, replaced by the sweep. */
    private volatile Set<String> lastMissing = Set.of();
    private volatile boolean lastJudged;

    public LostHosts(ServerRegistry registry, ServerService servers, Matchmaker matchmaker,
                     GatewayProperties properties, Clock clock) {
        super("gateway-lost-hosts", properties.lostHostSweepInterval());
        this.registry = registry;
        this.servers = servers;
        this.matchmaker = matchmaker;
        this.grace = properties.lostHostGrace();
        this.clock = clock;
    }

    /** Puts the servers of hosts missing for the grace in ERROR; returns how many servers that was. */
    @Override
    public synchronized int sweep() {
        Set<String> holding = new HashSet<>();
        for (Server server : registry.snapshot()) {
            if (server.status() == InstanceStatus.ACTIVE && server.host() != null) {
                holding.add(server.host());
            }
        }
        List<NodeRef> members = holding.isEmpty() ? List.of() : matchmaker.lookup(ComputeApi.TOPIC);
        if (members.isEmpty() || matchmaker.cacheAge().map(age -> age.compareTo(grace) > 0).orElse(false)) {
            missingSince.clear();
            lastMissing = Set.of();
            lastJudged = holding.isEmpty(); // nothing to judge is not "cannot tell"
            return 0;
        }
        Set<String> live = new HashSet<>();
        members.forEach(node -> live.add(node.nodeId()));
        holding.removeAll(live);
        missingSince.keySet().retainAll(holding);
        Instant now = clock.instant();
        int failed = 0;
        for (String host : holding) {
            Instant since = missingSince.computeIfAbsent(host, h -> now);
            if (!now.isBefore(since.plus(grace))) {
                failed += servers.hostLost(host, BuildFailure.HOST_LOST, "Host " + host + " left the fleet: not "
                        + "registered with the matchmaker for " + Duration.between(since, now).toSeconds() + " s");
                missingSince.remove(host);
            }
        }
        lastMissing = Set.copyOf(missingSince.keySet());
        lastJudged = true;
        return failed;
    }

    /** The host of an ACTIVE server as of the last sweep (at most one sweep interval old). */
    public HostState state(String host) {
        if (!lastJudged) {
            return HostState.UNKNOWN;
        }
        return lastMissing.contains(host) ? HostState.MISSING : HostState.LIVE;
    }
}
