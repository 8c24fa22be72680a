package io.meshrpc.matchmaker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node talks to {@code matchmaker-service} ({@code meshrpc.matchmaker.*} with {@code type=rest}).
 * The defaults of the client's own settings are declared here, once: the Spring properties leave them unset
 * unless configured.
 *
 * @param url                the service, e.g. {@code http://matchmaker:8500}
 * @param token              bearer token for writes, or {@code null}
 * @param ttl                this node's registration TTL; a heartbeat goes every third of it
 * @param firstLookupTimeout how long the first look-up of a topic this node never used waits for that topic's
 *                           snapshot; later look-ups never wait; {@code null}: {@link #DEFAULT_FIRST_LOOKUP_TIMEOUT}
 * @param statsInterval      how often this node's traffic counts are sent, when they changed; {@code null}:
 *                           {@link #DEFAULT_STATS_INTERVAL}
 */
public record RestMatchmakerSettings(String url, String token, Duration ttl, Duration firstLookupTimeout,
                                     Duration statsInterval) {

    /** Long enough for a snapshot from a live service; short enough that a send to a new topic fails over soon. */
    public static final Duration DEFAULT_FIRST_LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    /** The dashboard's rates need fresh counts, but never more than the fleet's heartbeat traffic. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(10);

    /** A dead node leaves the fleet's view within this; its heartbeats cost one small request per third of it. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    public RestMatchmakerSettings {
        Objects.requireNonNull(url, "meshrpc.matchmaker.url");
        Objects.requireNonNull(ttl, "meshrpc.matchmaker.ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("meshrpc.matchmaker.ttl must be positive, was " + ttl);
        }
        firstLookupTimeout = firstLookupTimeout == null ? DEFAULT_FIRST_LOOKUP_TIMEOUT : firstLookupTimeout;
        statsInterval = statsInterval == null ? DEFAULT_STATS_INTERVAL : statsInterval;
        if (firstLookupTimeout.isNegative() || statsInterval.isNegative() || statsInterval.isZero()) {
            throw new IllegalArgumentException("meshrpc.matchmaker.first-lookup-timeout must be >= 0 and "
                    + "stats-interval > 0, were " + firstLookupTimeout + " and " + statsInterval);
        }
    }

    /** The defaults for everything but the service, its token and the TTL. */
    public static RestMatchmakerSettings of(String url, String token, Duration ttl) {
        return new RestMatchmakerSettings(url, token, ttl, null, null);
    }

    public RestMatchmakerSettings withFirstLookupTimeout(Duration timeout) {
        return new RestMatchmakerSettings(url, token, ttl, timeout, statsInterval);
    }

    public RestMatchmakerSettings withStatsInterval(Duration interval) {
        return new RestMatchmakerSettings(url, token, ttl, firstLookupTimeout, interval);
    }

    /** A heartbeat every third of the TTL: two may be lost before the registration expires. */
    Duration heartbeatInterval() {
        return ttl.dividedBy(3);
    }

    /** The TTL as the service takes it: whole seconds, at least one. */
    int ttlSeconds() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ttl.toSeconds()));
    }
}
