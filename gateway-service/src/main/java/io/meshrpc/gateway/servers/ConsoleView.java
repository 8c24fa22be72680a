package io.meshrpc.gateway.servers;

import java.time.Instant;

/**
 * The answer to {@code POST /api/v1/servers/{id}/console}.
 *
 * @param token     the console token consoleauth issued
 * @param url       the console proxy URL with the token
 * @param protocol  the console protocol ({@code vnc})
 * @param expiresAt when the token stops working
 */
public record ConsoleView(String token, String url, String protocol, Instant expiresAt) {
}
