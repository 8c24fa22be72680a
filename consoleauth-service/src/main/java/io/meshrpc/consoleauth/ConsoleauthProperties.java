package io.meshrpc.consoleauth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Console tokens.
 *
 * @param tokenTtl  how long a token opens its console
 * @param maxTokens most live tokens held; beyond it new ones are refused, so a flood of requests
 *                  cannot exhaust the service's memory
 */
@ConfigurationProperties("consoleauth")
public record ConsoleauthProperties(@DefaultValue("10m") Duration tokenTtl, @DefaultValue("100000") int maxTokens) {

    public ConsoleauthProperties {
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("consoleauth.token-ttl must be positive, was " + tokenTtl);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("consoleauth.max-tokens must be at least 1, was " + maxTokens);
        }
    }
}
