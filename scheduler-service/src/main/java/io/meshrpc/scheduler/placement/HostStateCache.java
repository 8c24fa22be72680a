package io.meshrpc.scheduler.placement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.NoValidHostException;

/**
 * What one scheduler knows about the compute hosts, and the placement decision over it.
 *
 * <p>Reports arrive every few seconds; between two of them this scheduler may place many
 * instances. Each placement is kept as a {@link Claim} against its host until a report lists the
 * instance (then the reported free figures include it), so consecutive requests see the room
 * already promised and spread out instead of all landing on the host that looked emptiest. A
 * second replica does not see this replica's claims: the agent itself refuses a build it has no
 * room for, and the gateway reschedules elsewhere.
 *
 * <p>Placement is the Nova filter scheduler in miniature: filters (fresh report, not excluded by
 * the request, enough room), then a weigher (most free RAM, then most free vCPUs, then the name,
 * so equal hosts are picked in a stable order). One lock keeps choose-and-claim atomic.
 */
public final class HostStateCache {

    private static final Comparator<Map.Entry<String, Resources>> WEIGHER =
            Comparator.<Map.Entry<String, Resources>>comparingInt(e -> e.getValue().ramMb()).reversed()
                    .thenComparing(Comparator.<Map.Entry<String, Resources>>comparingInt(e -> e.getValue().vcpus())
                            .reversed())
                    .thenComparing(Map.Entry::getKey);

    private final Clock clock;
    private final Duration hostTtl;
    private final Duration claimTtl;
    private final Map<String, HostReport> hosts = new HashMap<>();
    private final Map<String, Claim> claims = new LinkedHashMap<>();

    public HostStateCache(Clock clock, Duration hostTtl, Duration claimTtl) {
        this.clock = clock;
        this.hostTtl = hostTtl;
        this.claimTtl = claimTtl;
    }

    /** Takes in a host's report; its listed instances' claims are settled. */
    public synchronized void update(CapacityReport report) {
        Objects.requireNonNull(report.host(), "report.host");
        Set<String> reported = new HashSet<>(report.instanceIds());
        hosts.put(report.host(), new HostReport(new Resources(report.totalVcpus(), report.totalRamMb()),
                new Resources(report.freeVcpus(), report.freeRamMb()), reported, clock.instant()));
        claims.values().removeIf(c -> c.host().equals(report.host()) && reported.contains(c.instanceId()));
    }

    /**
     * Chooses a host for the request and claims the room on it.
     *
     * @throws NoValidHostException naming why each known host was left out
     */
    public synchronized Destination select(BuildRequest request) {
        validate(request);
        Instant now = clock.instant();
        expireClaims(now);
        claims.remove(request.instanceId()); // a reschedule of the same instance: its old claim is moot
        Resources wanted = new Resources(request.vcpus(), request.ramMb());
        Rejections rejections = new Rejections();
        Optional<Map.Entry<String, Resources>> best = candidates(request, wanted, now, rejections).stream()
                .min(WEIGHER);
        if (best.isEmpty()) {
            throw new NoValidHostException(rejections.explain(request, hosts.size()));
        }
        String host = best.get().getKey();
        claims.put(request.instanceId(), new Claim(request.instanceId(), host, wanted, now));
        Resources after = best.get().getValue().minus(wanted);
        return new Destination(host, after.vcpus(), after.ramMb());
    }

    /** Every known host, fresh or not, sorted by name. */
    public synchronized List<HostView> hosts() {
        Instant now = clock.instant();
        expireClaims(now);
        return hosts.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            HostReport r = e.getValue();
            int pending = (int) claims.values().stream().filter(c -> c.host().equals(e.getKey())).count();
            return new HostView(e.getKey(), r.total(), r.free(), effectiveFree(e.getKey(), r), pending,
                    r.instanceIds().size(), r.at(), isFresh(r, now));
        }).toList();
    }

    private List<Map.Entry<String, Resources>> candidates(BuildRequest request, Resources wanted, Instant now,
                                                         Rejections rejections) {
        List<Map.Entry<String, Resources>> fit = new ArrayList<>();
        for (Map.Entry<String, HostReport> e : hosts.entrySet()) {
            String host = e.getKey();
            if (request.excludedHosts().contains(host)) {
                rejections.excluded++;
            } else if (!isFresh(e.getValue(), now)) {
                rejections.stale++;
            } else {
                Resources free = effectiveFree(host, e.getValue());
                if (free.fits(wanted)) {
                    fit.add(Map.entry(host, free));
                } else {
                    rejections.tooSmall(host, free);
                }
            }
        }
        return fit;
    }

    private Resources effectiveFree(String host, HostReport report) {
        Resources free = report.free();
        for (Claim c : claims.values()) {
            if (c.host().equals(host) && !report.instanceIds().contains(c.instanceId())) {
                free = free.minus(c.resources());
            }
        }
        return free;
    }

    private boolean isFresh(HostReport report, Instant now) {
        return !report.at().plus(hostTtl).isBefore(now);
    }

    private void expireClaims(Instant now) {
        Instant oldest = now.minus(claimTtl);
        claims.values().removeIf(c -> c.at().isBefore(oldest));
    }

    private static void validate(BuildRequest request) {
        if (request.instanceId() == null || request.instanceId().isBlank()) {
            throw new IllegalArgumentException("instanceId is required");
        }
        if (request.vcpus() < 1) {
            throw new IllegalArgumentException("vcpus must be at least 1, was " + request.vcpus());
        }
        if (request.ramMb() < 1) {
            throw new IllegalArgumentException("ramMb must be at least 1, was " + request.ramMb());
        }
    }

    /** The last report of a host. */
    private record HostReport(Resources total, Resources free, Set<String> instanceIds, Instant at) {
    }

    /** Why hosts were left out, for a NoValidHost message an operator can act on. */
    private final class Rejections {
        int excluded;
        int stale;
        int tooSmall;
        String roomiest;
        Resources roomiestFree;

        void tooSmall(String host, Resources free) {
            tooSmall++;
            if (roomiestFree == null || free.ramMb() > roomiestFree.ramMb()) {
                roomiest = host;
                roomiestFree = free;
            }
        }

        String explain(BuildRequest request, int known) {
            StringBuilder sb = new StringBuilder("No valid host for instance ").append(request.instanceId())
                    .append(" (").append(new Resources(request.vcpus(), request.ramMb())).append("): ");
            if (known == 0) {
                return sb.append("no compute host has reported its capacity to this scheduler").toString();
            }
            sb.append(known).append(known == 1 ? " host known" : " hosts known");
            if (excluded > 0) {
                sb.append(", ").append(excluded).append(" already tried for this instance");
            }
            if (stale > 0) {
                sb.append(", ").append(stale).append(" silent for more than ").append(hostTtl.toSeconds()).append(" s");
            }
            if (tooSmall > 0) {
                sb.append(", ").append(tooSmall).append(" without room (roomiest: ").append(roomiest).append(" with ")
                        .append(roomiestFree).append(" free)");
            }
            return sb.toString();
        }
    }
}
