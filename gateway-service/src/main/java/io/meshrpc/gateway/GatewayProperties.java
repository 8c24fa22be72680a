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
 * @param maxScheduleAttempts hosts tried per instance when hosts refuse it (Nova's
 *                            {@code scheduler_max_attempts})
 * @param consoleBaseUrl      where the console proxy serves; the token is added as {@code ?token=}
 */
@ConfigurationProperties("gateway")
public record GatewayProperties(@DefaultValue("5s") Duration rpcTimeout, @DefaultValue("1s") Duration describeTimeout,
                                @DefaultValue("3") int maxScheduleAttempts,
                                @DefaultValue("http://127.0.0.1:6080/vnc_auto.html") String consoleBaseUrl) {

    public GatewayProperties {
        if (rpcTimeout.isNegative() || rpcTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.rpc-timeout must be positive, was " + rpcTimeout);
        }
        if (describeTimeout.isNegative() || describeTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.describe-timeout must be positive, was " + describeTimeout);
        }
        if (maxScheduleAttempts < 1) {
            throw new IllegalArgumentException("gateway.max-schedule-attempts must be at least 1, was "
                    + maxScheduleAttempts);
        }
    }
}
