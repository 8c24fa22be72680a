package io.meshrpc.scheduler;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the scheduler trusts what it knows, and how much it is willing to hold.
 *
 * <p>Anyone on the mesh can send {@code update_capacity} and {@code select_destination}, so each
 * of these is a bound on what a lying or flooding peer can make this scheduler keep.
 *
 * @param hostTtl          a host whose last capacity report is older than this is forgotten (it is
 *                         no longer chosen, listed or kept in memory): a killed agent never says
 *                         goodbye. Agents report every 2 s ({@code compute.report-interval}); the
 *                         default is five intervals, so one or two lost reports do not drop a host
 * @param maxHosts         the most hosts held at once; a report from a host not yet known while
 *                         this many are held is refused and counted ({@code scheduler.reports.refused}).
 *                         The default leaves a quarter of headroom over a 20,000-node fleet
 * @param claimTtl         the longest a placement this scheduler made is counted against its host
 *                         while the host does not report the instance (the build may have been
 *                         refused, dropped, or never sent)
 * @param claimGrace       a report from the host that arrives this long after a placement and does not
 *                         list the instance releases its claim at once: an agent reports right after it
 *                         takes a build, so by then the host has not taken it
 * @param maxClaimsPerHost the most claims pending on one host; a new one pushes out the oldest, so no
 *                         caller can pin a host with a pile of placements it never builds
 * @param suspectFor       a host whose report released a claim it did not take (it dropped or refused
 *                         the build) is chosen only when no other host fits, for this long: a sick
 *                         agent reports its room like a healthy one, and, being empty, would otherwise
 *                         draw every placement. {@code 0} turns this off
 */
@ConfigurationProperties("scheduler")
public record SchedulerProperties(@DefaultValue("10s") Duration hostTtl, @DefaultValue("25000") int maxHosts,
                                  @DefaultValue("10s") Duration claimTtl, @DefaultValue("2s") Duration claimGrace,
                                  @DefaultValue("32") int maxClaimsPerHost,
                                  @DefaultValue("60s") Duration suspectFor) {

    public SchedulerProperties {
        requirePositive("scheduler.host-ttl", hostTtl);
        requirePositive("scheduler.claim-ttl", claimTtl);
        requirePositive("scheduler.claim-grace", claimGrace);
        if (suspectFor.isNegative()) {
            throw new IllegalArgumentException("scheduler.suspect-for must not be negative, was " + suspectFor);
        }
        if (maxHosts < 1) {
            throw new IllegalArgumentException("scheduler.max-hosts must be at least 1, was " + maxHosts);
        }
        if (maxClaimsPerHost < 1) {
            throw new IllegalArgumentException("scheduler.max-claims-per-host must be at least 1, was "
                    + maxClaimsPerHost);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
