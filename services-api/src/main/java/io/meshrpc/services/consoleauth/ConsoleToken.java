package io.meshrpc.services.consoleauth;

import java.time.Instant;

/**
 * A console token.
 *
 * @param token      the secret (URL-safe)
 * @param instanceId the instance whose console it opens
 * @param expiresAt  when it stops being valid
 */
public record ConsoleToken(String token, String instanceId, Instant expiresAt) {
}
