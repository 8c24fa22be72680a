package io.meshrpc.services.consoleauth;

import java.time.Instant;

import io.meshrpc.services.compute.ConsoleEndpoint;

/**
 * The answer to {@code check_token}.
 *
 * @param valid     whether the token was issued here and has not expired
 * @param console   the console it opens, when valid
 * @param expiresAt when it expires, when valid
 */
public record TokenCheck(boolean valid, ConsoleEndpoint console, Instant expiresAt) {

    public static TokenCheck invalid() {
        return new TokenCheck(false, null, null);
    }
}
