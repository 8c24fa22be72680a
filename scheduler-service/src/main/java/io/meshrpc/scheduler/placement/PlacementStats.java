package io.meshrpc.scheduler.placement;

/**
 * What the scheduler holds and what it turned away, for its meters.
 *
 * @param hosts          hosts known now
 * @param claims         claims pending now
 * @param refusedReports reports refused because {@code scheduler.max-hosts} hosts were held already
 * @param staleReports   reports ignored because a later one of the same host had been taken (held back by a
 *                       partition, or overtaken on another path)
 * @param forgottenHosts hosts forgotten after {@code scheduler.host-ttl} without a report
 * @param releasedClaims claims released before their host reported the instance: expired
 *                       ({@code scheduler.claim-ttl}), contradicted by a report
 *                       ({@code scheduler.claim-grace}), or pushed out
 *                       ({@code scheduler.max-claims-per-host})
 */
public record PlacementStats(int hosts, int claims, long refusedReports, long staleReports, long forgottenHosts,
                             long releasedClaims) {
}
