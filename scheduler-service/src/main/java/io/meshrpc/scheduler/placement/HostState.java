package io.meshrpc.scheduler.placement;

import io.meshrpc.services.scheduler.CapacityReport;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One known host: its last report and the claims pending on it. Mutable, and only touched under
 * the {@link HostStateCache}'s lock; while it sits in the cache's room index its {@link #free()}
 * must not change, so the cache takes it out of the index around every change.
 */
final class HostState {

    private final String host;
    private Resources total;
    private Resources reported;
    private Set<String> instanceIds;
    private Instant reportedAt;
    /** The last report taken, for its incarnation and number. */
    private CapacityReport last;
    /** Pending claims, oldest first (the one pushed out when the host has too many). */
    private final Map<String, Claim> claims = new LinkedHashMap<>();
    private Resources claimed = Resources.NONE;
    private Resources free;
    /** Until when it is chosen only as a last resort: it let a placement lapse. */
    private Instant suspectUntil = Instant.MIN;

    HostState(String host) {
        this.host = host;
    }

    /** Whether {@code report} was made after the last one taken; the first one always is. */
    boolean isOlder(CapacityReport report) {
        return last != null && !report.isNewerThan(last);
    }

    void report(CapacityReport report, Resources newTotal, Resources newFree, Set<String> newInstanceIds,
                Instant at) {
        last = report;
        total = newTotal;
        reported = newFree;
        instanceIds = newInstanceIds;
        reportedAt = at;
        free = reported.minus(claimed);
    }

    void addClaim(Claim claim) {
        claims.put(claim.instanceId(), claim);
        claimed = claimed.plus(claim.resources());
        free = reported.minus(claimed);
    }

    /** Drops the claim of {@code instanceId}; {@code null} when none is pending here. */
    Claim removeClaim(String instanceId) {
        Claim removed = claims.remove(instanceId);
        if (removed != null) {
            claimed = claimed.minus(removed.resources());
            free = reported.minus(claimed);
        }
        return removed;
    }

    Claim oldestClaim() {
        return claims.values().iterator().next();
    }

    String host() {
        return host;
    }

    Resources total() {
        return total;
    }

    Resources reported() {
        return reported;
    }

    /** What the last report said was free, minus this scheduler's pending claims. */
    Resources free() {
        return free;
    }

    boolean holds(String instanceId) {
        return instanceIds.contains(instanceId);
    }

    int instances() {
        return instanceIds.size();
    }

    Instant reportedAt() {
        return reportedAt;
    }

    /** A copy: callers release claims while walking it. */
    Collection<Claim> claims() {
        return java.util.List.copyOf(claims.values());
    }

    /** It did not take a build placed on it: choose it only when no other host fits, until {@code until}. */
    void suspect(Instant until) {
        if (until.isAfter(suspectUntil)) {
            suspectUntil = until;
        }
    }

    boolean suspectAt(Instant now) {
        return now.isBefore(suspectUntil);
    }

    /** Until when it is suspect; {@code null} when it never was or no longer is at {@code now}. */
    Instant suspectUntil(Instant now) {
        return suspectAt(now) ? suspectUntil : null;
    }

    int claimCount() {
        return claims.size();
    }
}
