package io.meshrpc.matchmaker.service.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/** The delivery policies (docs/routing.md), by their wire names. */
public enum DeliveryPolicy {

    /** ZeroMQ only. */
    ZMQ("zmq"),
    /** Broker only. */
    AMQP("amqp"),
    /** ZeroMQ when the node's receiver is live, else the broker: the migration mode. */
    ZMQ_FIRST("zmq-first");

    private final String wireName;

    DeliveryPolicy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The policy of a wire name, exact match ({@code zmq}, {@code amqp}, {@code zmq-first}). */
    public static Optional<DeliveryPolicy> fromWire(String name) {
        for (DeliveryPolicy p : values()) {
            if (p.wireName.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code zmq, amqp, zmq-first}: for error messages. */
    public static String wireNames() {
        return Arrays.stream(values()).map(DeliveryPolicy::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
