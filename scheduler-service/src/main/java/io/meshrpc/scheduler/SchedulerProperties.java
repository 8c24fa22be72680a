package io.meshrpc.scheduler;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the scheduler trusts what it knows.
 *
 * @param hostTtl  a host whose last capacity report is older than this is not chosen: it may be
 *                 gone (a killed agent never says goodbye). Make it a few report intervals.
 * @param claimTtl a placement this scheduler made is counted against its host until the host
 *                 reports the instance, or for at most this long (the build may have failed)
 */
@ConfigurationProperties("scheduler")
public record SchedulerProperties(@DefaultValue("10s") Duration hostTtl, @DefaultValue("30s") Duration claimTtl) {

    public SchedulerProperties {
        if (hostTtl.isNegative() || hostTtl.isZero()) {
            throw new IllegalArgumentException("scheduler.host-ttl must be positive, was " + hostTtl);
        }
        if (claimTtl.isNegative() || claimTtl.isZero()) {
            throw new IllegalArgumentException("scheduler.claim-ttl must be positive, was " + claimTtl);
        }
    }
}
