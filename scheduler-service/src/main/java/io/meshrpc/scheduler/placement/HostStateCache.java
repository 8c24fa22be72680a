package io.meshrpc.scheduler.placement;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.meshrpc.scheduler.SchedulerProperties;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.NoValidHostException;

/**
 * What one scheduler knows about the compute hosts, and the placement decision over it.
 *
 * <p>Reports arrive every few seconds; between two of them this scheduler may place many
 * instances. Each placement is kept as a {@link Claim} against its host, so consecutive requests
 * see the room already promised and spread out instead of all landing on the host that looked
 * emptiest. A claim ends when its host reports the instance (the reported free figures include it
 * then), when a report arriving {@code claim-grace} after the placement does not list it (the host
 * did not take the build), when it is {@code claim-ttl} old, or when newer claims push it out
 * ({@code max-claims-per-host}). A second replica does not see this replica's claims: the agent
 * itself refuses a build it has no room for, and the gateway reschedules elsewhere.
 *
 * <p>Placement is the Nova filter scheduler in miniature: filters (not excluded by the request,
 * enough room), then a weigher (most free RAM, then most free vCPUs, then the name, so equal hosts
 * are picked in a stable order). Hosts are kept in an index sorted by that weigher, so a placement
 * walks from the roomiest host down and stops at the first that fits, instead of weighing every
 * host of a large fleet.
 *
 * <p>A host whose report releases a claim it did not take (it dropped or refused the build) is
 * suspect for {@code suspect-for}: chosen only when no other host fits. A sick agent reports its
 * room like a healthy one and, being empty, would otherwise draw every placement; now it costs a
 * burst of placements once a minute, not all of them.
 *
 * <p>Nothing grows without bound: a host silent for {@code host-ttl} is forgotten (hosts are kept
 * in report order, so the silent ones are found at the head without a scan), at most
 * {@code max-hosts} are held, and claims are bounded per host. One lock keeps choose-and-claim
 * atomic.
 */
public final class HostStateCache {

    /** Roomiest first: the weigher's order. */
    private static final Comparator<HostState> ROOMIEST_FIRST =
            Comparator.<HostState>comparingInt(h -> h.free().ramMb()).reversed()
                    .thenComparing(Comparator.<HostState>comparingInt(h -> h.free().vcpus()).reversed())
                    .thenComparing(HostState::host);

    private final Clock clock;
    private final SchedulerProperties limits;
    /** By name, in the order of their last report: the least recently heard from first. */
    private final LinkedHashMap<String, HostState> hosts = new LinkedHashMap<>();
    private final NavigableSet<HostState> byRoom = new TreeSet<>(ROOMIEST_FIRST);
    /** Every pending claim by instance id, oldest first. */
    private final LinkedHashMap<String, Claim> claims = new LinkedHashMap<>();
    private long refusedReports;
    private long staleReports;
    private long forgottenHosts;
    private long releasedClaims;

    public HostStateCache(Clock clock, SchedulerProperties limits) {
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * Takes in a host's report: its listed instances' claims are settled, and claims older than
     * {@code claim-grace} that it does not list are released.
     *
     * @return {@code false} when the report was refused: the host is new and {@code max-hosts} are held
     */
    public synchronized boolean update(CapacityReport report) {
        Objects.requireNonNull(report.host(), "report.host");
        Instant now = clock.instant();
        expire(now);
        HostState known = hosts.get(report.host());
        if (known != null && known.isOlder(report)) {
            staleReports++; // a later report was taken: this one, held back on its way, describes the past
            return true;
        }
        HostState host = hosts.remove(report.host()); // put back below: it moves to the end, the freshest
        if (host == null) {
            if (hosts.size() >= limits.maxHosts()) {
                refusedReports++;
                return false;
            }
            host = new HostState(report.host());
        } else {
            byRoom.remove(host);
        }
        Set<String> listed = new HashSet<>(report.instanceIds());
        host.report(report, new Resources(report.totalVcpus(), report.totalRamMb()),
                new Resources(report.freeVcpus(), report.freeRamMb()), listed, now);
        Instant untakenBefore = now.minus(limits.claimGrace());
        for (Claim claim : host.claims()) {
            boolean settled = listed.contains(claim.instanceId());
            if (settled || !claim.at().isAfter(untakenBefore)) {
                host.removeClaim(claim.instanceId());
                claims.remove(claim.instanceId());
                if (!settled) {
                    releasedClaims++;
                    host.suspect(now.plus(limits.suspectFor()));
                }
            }
        }
        hosts.put(report.host(), host);
        byRoom.add(host);
        return true;
    }

    /**
     * Chooses a host for the request and claims the room on it.
     *
     * @throws NoValidHostException naming why the known hosts were left out
     */
    public synchronized Destination select(BuildRequest request) {
        validate(request);
        Instant now = clock.instant();
        expire(now);
        Claim previous = claims.remove(request.instanceId()); // a reschedule of the same instance: moot now
        if (previous != null) {
            withHost(previous.host(), h -> h.removeClaim(previous.instanceId()));
        }
        Resources wanted = new Resources(request.vcpus(), request.ramMb());
        Set<String> excluded = new HashSet<>(request.excludedHosts());
        HostState lastResort = null;
        for (HostState host : byRoom) {
            if (host.free().ramMb() < wanted.ramMb()) {
                break; // every host after this one has less free RAM still
            }
            if (!excluded.contains(host.host()) && host.free().fits(wanted)) {
                if (!host.suspectAt(now)) {
                    return place(host, request, wanted, now);
                }
                lastResort = lastResort == null ? host : lastResort;
            }
        }
        if (lastResort != null) {
            return place(lastResort, request, wanted, now);
        }
        throw new NoValidHostException(explain(request, wanted, excluded));
    }

    private Destination place(HostState host, BuildRequest request, Resources wanted, Instant now) {
        Resources after = host.free().minus(wanted);
        if (!host.holds(request.instanceId())) {
            claim(host, new Claim(request.instanceId(), host.host(), wanted, now));
        }
        return new Destination(host.host(), after.vcpus(), after.ramMb());
    }

    /** Every known host, sorted by name. */
    public synchronized List<HostView> hosts() {
        Instant now = clock.instant();
        expire(now);
        Instant freshSince = now.minus(limits.hostTtl());
        return hosts.values().stream().sorted(Comparator.comparing(HostState::host))
                .map(h -> new HostView(h.host(), h.total(), h.reported(), h.free(), h.claimCount(), h.instances(),
                        h.reportedAt(), !h.reportedAt().isBefore(freshSince), h.suspectUntil(now)))
                .toList();
    }

    public synchronized PlacementStats stats() {
        expire(clock.instant());
        return new PlacementStats(hosts.size(), claims.size(), refusedReports, staleReports, forgottenHosts,
                releasedClaims);
    }

    private void claim(HostState host, Claim claim) {
        byRoom.remove(host);
        host.addClaim(claim);
        claims.put(claim.instanceId(), claim);
        if (host.claimCount() > limits.maxClaimsPerHost()) {
            Claim oldest = host.oldestClaim();
            host.removeClaim(oldest.instanceId());
            claims.remove(oldest.instanceId());
            releasedClaims++;
        }
        byRoom.add(host);
    }

    /** Forgets silent hosts and expired claims; both sit at the head of their maps, oldest first. */
    private void expire(Instant now) {
        Instant silentBefore = now.minus(limits.hostTtl());
        for (Iterator<HostState> it = hosts.values().iterator(); it.hasNext(); ) {
            HostState host = it.next();
            if (!host.reportedAt().isBefore(silentBefore)) {
                break;
            }
            it.remove();
            byRoom.remove(host);
            host.claims().forEach(c -> claims.remove(c.instanceId()));
            forgottenHosts++;
        }
        Instant expiredBefore = now.minus(limits.claimTtl());
        for (Iterator<Claim> it = claims.values().iterator(); it.hasNext(); ) {
            Claim claim = it.next();
            if (!claim.at().isBefore(expiredBefore)) {
                break;
            }
            it.remove();
            withHost(claim.host(), h -> h.removeClaim(claim.instanceId()));
            releasedClaims++;
        }
    }

    /** Changes a host outside the room index, so the index stays sorted. */
    private void withHost(String name, java.util.function.Consumer<HostState> change) {
        HostState host = hosts.get(name);
        if (host != null) {
            byRoom.remove(host);
            change.accept(host);
            byRoom.add(host);
        }
    }

    /** Why no host was chosen, for a NoValidHost message an operator can act on; costs at most the excluded hosts. */
    private String explain(BuildRequest request, Resources wanted, Set<String> excluded) {
        StringBuilder sb = new StringBuilder("No valid host for instance ").append(request.instanceId())
                .append(" (").append(wanted).append("): ");
        int known = hosts.size();
        if (known == 0) {
            return sb.append("no compute host has reported its capacity to this scheduler in the last ")
                    .append(limits.hostTtl().toSeconds()).append(" s").toString();
        }
        int tried = (int) excluded.stream().filter(hosts::containsKey).count();
        sb.append(known).append(known == 1 ? " host known" : " hosts known");
        if (tried > 0) {
            sb.append(", ").append(tried).append(" already tried for this instance");
        }
        if (known > tried) {
            HostState roomiest = byRoom.stream().filter(h -> !excluded.contains(h.host())).findFirst().orElseThrow();
            sb.append(", ").append(known - tried).append(" without room (roomiest: ").append(roomiest.host())
                    .append(" with ").append(roomiest.free()).append(" free)");
        }
        return sb.toString();
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
}
