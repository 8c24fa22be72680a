package io.meshrpc.consoleauth.tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.meshrpc.consoleauth.ConsoleauthProperties;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.TokenCheck;

/**
 * The live console tokens, in memory (as Nova's consoleauth kept them in memcached): a token is
 * 192 random bits, URL-safe, valid until its expiry on this service's clock. An expired token is
 * invalid the moment it expires; {@link #purgeExpired()} only frees the memory.
 */
public final class TokenStore {

    private final Clock clock;
    private final ConsoleauthProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();

    public TokenStore(Clock clock, ConsoleauthProperties properties) {
        this.clock = clock;
        this.properties = properties;
    }

    /** Issues a token for {@code console}. */
    public ConsoleToken issue(ConsoleEndpoint console) {
        if (tokens.size() >= properties.maxTokens()) {
            purgeExpired();
            if (tokens.size() >= properties.maxTokens()) {
                throw new IllegalStateException("Too many live console tokens (consoleauth.max-tokens="
                        + properties.maxTokens() + "); try again once some expire");
            }
        }
        String token = newToken();
        Instant expiresAt = clock.instant().plus(properties.tokenTtl());
        tokens.put(token, new Entry(console, expiresAt));
        return new ConsoleToken(token, console.instanceId(), expiresAt);
    }

    /** Whether {@code token} was issued here and has not expired. */
    public TokenCheck check(String token) {
        Entry entry = token == null ? null : tokens.get(token);
        if (entry == null) {
            return TokenCheck.invalid();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            tokens.remove(token, entry);
            return TokenCheck.invalid();
        }
        return new TokenCheck(true, entry.console(), entry.expiresAt());
    }

    /** Drops expired tokens; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        int before = tokens.size();
        tokens.values().removeIf(e -> !now.isBefore(e.expiresAt()));
        return before - tokens.size();
    }

    public int size() {
        return tokens.size();
    }

    private String newToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private record Entry(ConsoleEndpoint console, Instant expiresAt) {
    }
}
