package io.meshrpc.transport;

import java.util.Locale;

/**
 * The transports a message can travel: the {@code transport} tag of every meter, the transports a
 * node registers with the matchmaker, the names the actuator endpoint shows.
 */
public enum TransportName {
    /** Brokerless, straight to one node's receiver, acknowledged by it. */
    ZMQ,
    /** Through an AMQP broker's queues, confirmed by the broker. */
    AMQP;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The lower-case name, as in meter tags, JSON and the matchmaker's {@code transports}. */
    public String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return tag;
    }
}
