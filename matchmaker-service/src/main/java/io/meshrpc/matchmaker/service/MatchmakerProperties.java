package io.meshrpc.matchmaker.service;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the matchmaker service ({@code meshrpc.matchmaker.*}).
 *
 * @param token bearer token that every write ({@code PUT}, {@code POST}, {@code PATCH}, {@code DELETE}) under
 *        {@code /api/v1} must carry as {@code Authorization: Bearer <token>}; when unset or blank, writes are open
 * @param defaultTtl time to live of a registration that names no {@code ttlSeconds}
 * @param maxTtl largest {@code ttlSeconds} a node may ask for
 * @param sweepInterval how often nodes whose time to live passed are removed (and the node gauges refreshed)
 * @param ringDefaultPort ZeroMQ port of ring-file hosts that have no explicit endpoint (the talk's
 *        {@code rpc_zmq_port})
 * @param store where the registry lives: {@code memory} (one instance) or {@code redis} (replicas share it; the
 *        connection comes from {@code spring.data.redis.*})
 * @param redis settings of the Redis store
 * @param watch settings of watches (blocking queries)
 */
@ConfigurationProperties("meshrpc.matchmaker")
public record MatchmakerProperties(String token,
                                   @DefaultValue("30s") Duration defaultTtl,
                                   @DefaultValue("1d") Duration maxTtl,
                                   @DefaultValue("1s") Duration sweepInterval,
                                   @DefaultValue("9501") int ringDefaultPort,
                                   @DefaultValue("memory") StoreType store,
                                   @DefaultValue Redis redis,
                                   @DefaultValue Watch watch) {

    /** Where the registry lives. */
    public enum StoreType {
        /** In this process: lost on restart, not shared. */
        MEMORY,
        /** In Redis: shared by every matchmaker replica with the same key prefix. */
        REDIS
    }

    /**
     * Settings of the Redis store.
     *
     * @param keyPrefix prefix of every key the matchmaker writes; replicas that share it share the registry
     */
    public record Redis(@DefaultValue("meshrpc:matchmaker:") String keyPrefix) {
    }

    /**
     * Settings of watches.
     *
     * @param history changes kept to answer watches with what changed; a client further behind gets a snapshot
     * @param maxWatches watches held waiting at once (one per node); one more is answered 503
     * @param writerThreads threads that write watch answers
     * @param coalesce how long changes that follow one another are gathered into one answer; 0 answers each at once
     */
    public record Watch(@DefaultValue("10000") int history, @DefaultValue("50000") int maxWatches,
                        @DefaultValue("2") int writerThreads, @DefaultValue("50ms") Duration coalesce) {

        public Watch {
            if (history < 1 || maxWatches < 1 || writerThreads < 1) {
                throw new IllegalArgumentException("meshrpc.matchmaker.watch.*: history, max-watches and "
                        + "writer-threads must be positive, were " + history + ", " + maxWatches + ", " + writerThreads);
            }
        }
    }

    public MatchmakerProperties {
        if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
            throw new IllegalArgumentException("meshrpc.matchmaker: need 0 < default-ttl <= max-ttl, was default-ttl="
                    + defaultTtl + ", max-ttl=" + maxTtl);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("meshrpc.matchmaker.sweep-interval must be positive, was " + sweepInterval);
        }
        if (ringDefaultPort < 1 || ringDefaultPort > 65535) {
            throw new IllegalArgumentException("meshrpc.matchmaker.ring-default-port must be 1..65535, was "
                    + ringDefaultPort);
        }
    }

    /** Whether writes need a bearer token. */
    public boolean tokenRequired() {
        return token != null && !token.isBlank();
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "MatchmakerProperties[token=" + (tokenRequired() ? "******" : "<none>") + ", defaultTtl=" + defaultTtl
                + ", maxTtl=" + maxTtl + ", sweepInterval=" + sweepInterval + ", ringDefaultPort=" + ringDefaultPort + ", store=" + store + ", redis=" + redis + ", watch=" + watch + "]";
    }
}
