package io.meshrpc.transport.amqp;

import java.time.Duration;

/**
 * How the broker transport uses the broker. The connection itself (addresses, credentials, TLS)
 * comes from {@code spring.rabbitmq.*}.
 *
 * @param prefix          prepended to every exchange and queue name, so that several fleets (or test
 *                        runs) can share one broker without seeing each other's messages
 * @param exchange        the topic exchange carrying topic and node messages
 * @param prefetch        unacknowledged deliveries per consumer
 * @param consumers       concurrent consumers per queue
 * @param confirmTimeout  how long a publish waits for the broker's confirm before it fails
 * @param maxPending      publishes waiting for a confirm at once; more fail at once
 */
public record AmqpSettings(String prefix, String exchange, int prefetch, int consumers, Duration confirmTimeout,
                           int maxPending) {

    public static final String DEFAULT_EXCHANGE = "meshrpc";
    public static final int DEFAULT_PREFETCH = 250;
    public static final int DEFAULT_CONSUMERS = 1;
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_PENDING = 10_000;

    public AmqpSettings {
        prefix = prefix == null ? "" : prefix;
        if (exchange == null || exchange.isBlank()) {
            throw new IllegalArgumentException("meshrpc.amqp.exchange must not be empty");
        }
        if (prefetch < 1 || consumers < 1 || maxPending < 1) {
            throw new IllegalArgumentException("meshrpc.amqp prefetch, consumers and max-pending must be at least 1");
        }
    }

    /** The defaults, with a name prefix (empty for none). */
    public static AmqpSettings defaults(String prefix) {
        return new AmqpSettings(prefix, DEFAULT_EXCHANGE, DEFAULT_PREFETCH, DEFAULT_CONSUMERS, DEFAULT_CONFIRM_TIMEOUT,
                DEFAULT_MAX_PENDING);
    }
}
