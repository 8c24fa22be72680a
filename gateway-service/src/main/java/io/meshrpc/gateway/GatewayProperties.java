package io.meshrpc.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's RPC budget and its console URLs.
 *
 * @param rpcTimeout          deadline of each call the gateway makes (scheduler, agent, consoleauth);
 *                            an HTTP request never waits longer than a few of these: it gets a 504
 * @param describeTimeout     how long showing a BUILDING server waits for its host's fresher state
 *                            before answering with what the gateway knows
 * @param maxScheduleAttempts hosts tried per instance (Nova's {@code scheduler_max_attempts}): a host
 *                            that does not take the build cast, refuses the build, or does not finish
 *                            it within {@code buildTimeout} is excluded and the instance scheduled again,
 *                            until this many hosts were tried; then the server is in ERROR
 * @param buildTimeout        how long a host that took a build has to report it ACTIVE (or refuse it);
 *                            past it the build counts as failed on that host. It is checked every tenth
 *                            of it (at most every second), by one timer, not a thread per build. The
 *                            default leaves a simulated build (300 ms) and a broker-delivered cast much
 *                            room, and keeps a boot that meets a silent host well under a minute
 * @param consoleBaseUrl      where the console proxy serves; the token is added as {@code ?token=}
 * @param lostHostGrace       how long a host holding ACTIVE servers may be missing from the matchmaker's
 *                            compute topic before its servers are put in ERROR (the host left the fleet:
 *                            deregistered, or its registration expired). Longer than a registration's
 *                            TTL, so that an agent that restarts at once is judged by its inventory
 *                            instead
 */
@ConfigurationProperties("gateway")
public record GatewayProperties(@DefaultValue("5s") Duration rpcTimeout, @DefaultValue("1s") Duration describeTimeout,
                                @DefaultValue("3") int maxScheduleAttempts, @DefaultValue("20s") Duration buildTimeout,
                                @DefaultValue("http://127.0.0.1:6080/vnc_auto.html") String consoleBaseUrl,
                                @DefaultValue("15s") Duration lostHostGrace) {

    public GatewayProperties {
        if (rpcTimeout.isNegative() || rpcTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.rpc-timeout must be positive, was " + rpcTimeout);
        }
        if (describeTimeout.isNegative() || describeTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.describe-timeout must be positive, was " + describeTimeout);
        }
        if (buildTimeout.isNegative() || buildTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.build-timeout must be positive, was " + buildTimeout);
        }
        if (lostHostGrace.isNegative() || lostHostGrace.isZero()) {
            throw new IllegalArgumentException("gateway.lost-host-grace must be positive, was " + lostHostGrace);
        }
        if (maxScheduleAttempts < 1) {
            throw new IllegalArgumentException("gateway.max-schedule-attempts must be at least 1, was "
                    + maxScheduleAttempts);
        }
    }

    /** How often build deadlines are checked: a tenth of the deadline, between 50 ms and 1 s. */
    public Duration buildSweepInterval() {
        return between(buildTimeout.dividedBy(10), Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    /** How often hosts of ACTIVE servers are looked for in the matchmaker: a fifth of the grace, 1 to 5 s. */
    public Duration lostHostSweepInterval() {
        return between(lostHostGrace.dividedBy(5), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    private static Duration between(Duration value, Duration floor, Duration ceiling) {
        return value.compareTo(floor) < 0 ? floor : value.compareTo(ceiling) > 0 ? ceiling : value;
    }
}
