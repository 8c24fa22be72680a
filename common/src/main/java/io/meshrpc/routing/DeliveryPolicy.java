package io.meshrpc.routing;

import java.util.Arrays;
import java.util.Locale;

/** How messages to a target travel (docs/routing.md). */
public enum DeliveryPolicy {
    /** ZeroMQ only; a failure is the caller's error. */
    ZMQ("zmq"),
    /** The broker only. */
    AMQP("amqp"),
    /** ZeroMQ while the node answers, the broker when it does not: the migration mode. */
    ZMQ_FIRST("zmq-first");

    private final String value;

    DeliveryPolicy(String value) {
        this.value = value;
    }

    /** The name used in properties, the matchmaker API and the actuator endpoint. */
    public String value() {
        return value;
    }

    /** Whether ZeroMQ is tried at all. */
    public boolean usesZmq() {
        return this != AMQP;
    }

    /** Reads {@code zmq}, {@code amqp} or {@code zmq-first} (case and {@code _} tolerated). */
    public static DeliveryPolicy of(String text) {
        String normalized = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DeliveryPolicy p : values()) {
            if (p.value.equals(normalized)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown delivery policy '" + text + "'; expected one of "
                + Arrays.stream(values()).map(DeliveryPolicy::value).toList());
    }

    @Override
    public String toString() {
        return value;
    }
}
