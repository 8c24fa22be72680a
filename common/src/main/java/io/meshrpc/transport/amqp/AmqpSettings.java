package io.meshrpc.transport.amqp;

import java.time.Duration;

/**
 * How the broker transport uses the broker. The connection itself (addresses, credentials, TLS)
 * comes from {@code spring.rabbitmq.*}.
 *
 * <p>Three of these bound how long a network partition can hold work back (docs/configuration.md,
 * "How long a partition holds work back"): {@code confirmTimeout} for what this node publishes,
 * {@code heartbeat} for how soon both ends declare a silent connection dead (the broker then gives
 * the deliveries it held for this node to another consumer or keeps them queued), and
 * {@code recoveryInterval} for how soon consumers are started again once the broker answers.
 *
 * @param prefix           prepended to every exchange and queue name, so that several fleets (or test
 *                         runs) can share one broker without seeing each other's messages
 * @param exchange         the topic exchange carrying topic and node messages
 * @param prefetch         unacknowledged deliveries per consumer
 * @param consumers        concurrent consumers per queue
 * @param confirmTimeout   how long a publish waits for the broker's confirm, from the moment it is handed
 *                         to the transport, before it fails
 * @param maxPending       publishes waiting for a confirm at once; more fail at once
 * @param heartbeat        the AMQP heartbeat this node asks for on its own connection; a connection
 *                         silent for two of them is closed by either end
 * @param recoveryInterval how long a failed consumer waits before it is started again
 * @param connectionTimeout how long one attempt to open the node's connection to the broker may take: an
 *                         attempt started during a partition gives up after it and the next one starts a
 *                         recovery interval later, so the node reconnects soon after the network heals
 */
public record AmqpSettings(String prefix, String exchange, int prefetch, int consumers, Duration confirmTimeout,
                           int maxPending, Duration heartbeat, Duration recoveryInterval, Duration connectionTimeout) {

    public static final String DEFAULT_EXCHANGE = "meshrpc";
    public static final int DEFAULT_PREFETCH = 250;
    public static final int DEFAULT_CONSUMERS = 1;
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_PENDING = 10_000;
    /** A sixth of the RabbitMQ client's own 60 s: a partition is noticed in about 20 s, not 2 minutes. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);
    /**
     * Not the RabbitMQ client's 60 s: a connect whose packets vanish would wait out TCP's back-off of
     * its SYNs (1, 2, 4, 8, 16 s...) after the network healed. Measured in a namespace: queued work
     * arrived 13 s after a 45 s partition healed with the client's default.
     */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    public AmqpSettings {
        prefix = prefix == null ? "" : prefix;
        if (exchange == null || exchange.isBlank()) {
            throw new IllegalArgumentException("meshrpc.amqp.exchange must not be empty");
        }
        if (prefetch < 1 || consumers < 1 || maxPending < 1) {
            throw new IllegalArgumentException("meshrpc.amqp prefetch, consumers and max-pending must be at least 1");
        }
        if (connectionTimeout.isNegative() || connectionTimeout.isZero()) {
            throw new IllegalArgumentException("meshrpc.amqp.connection-timeout must be positive, was "
                    + connectionTimeout);
        }
        if (heartbeat.isNegative() || heartbeat.toSeconds() > 65_535) {
            throw new IllegalArgumentException("meshrpc.amqp.heartbeat must be 0 (off) to 65535 s, was " + heartbeat);
        }
    }

    /** The defaults, with a name prefix (empty for none). */
    public static AmqpSettings defaults(String prefix) {
        return builder().prefix(prefix).build();
    }

    /** Every setting at its default ({@code DEFAULT_*}), no prefix. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds settings from the defaults, changing only what is set. */
    public static final class Builder {
        private String prefix = "";
        private String exchange = DEFAULT_EXCHANGE;
        private int prefetch = DEFAULT_PREFETCH;
        private int consumers = DEFAULT_CONSUMERS;
        private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;
        private int maxPending = DEFAULT_MAX_PENDING;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration recoveryInterval = DEFAULT_RECOVERY_INTERVAL;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;

        private Builder() {
        }

        public Builder prefix(String namePrefix) {
            this.prefix = namePrefix;
            return this;
        }

        public Builder exchange(String name) {
            this.exchange = name;
            return this;
        }

        public Builder prefetch(int deliveries) {
            this.prefetch = deliveries;
            return this;
        }

        public Builder consumers(int perQueue) {
            this.consumers = perQueue;
            return this;
        }

        public Builder confirmTimeout(Duration timeout) {
            this.confirmTimeout = timeout;
            return this;
        }

        public Builder maxPending(int publishes) {
            this.maxPending = publishes;
            return this;
        }

        public Builder heartbeat(Duration interval) {
            this.heartbeat = interval;
            return this;
        }

        public Builder recoveryInterval(Duration interval) {
            this.recoveryInterval = interval;
            return this;
        }

        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        public AmqpSettings build() {
            return new AmqpSettings(prefix, exchange, prefetch, consumers, confirmTimeout, maxPending, heartbeat,
                    recoveryInterval, connectionTimeout);
        }
    }
}
