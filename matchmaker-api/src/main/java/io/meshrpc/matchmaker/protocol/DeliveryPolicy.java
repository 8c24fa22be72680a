package io.meshrpc.matchmaker.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How messages to a target travel (docs/routing.md), by the names they have in properties, in the matchmaker
 * API and in the actuator endpoint: {@code zmq}, {@code amqp}, {@code zmq-first}.
 *
 * <p>The one type for the policy on both sides: the matchmaker service stores and serves it, a node resolves and
 * routes by it. Spring binds {@code meshrpc.routing.default-policy} and {@code meshrpc.routing.topics.*} by the
 * constants' names, leniently ({@code zmq-first} is {@code ZMQ_FIRST}), so those names are part of the contract.
 */
public enum DeliveryPolicy {

    /** ZeroMQ only; a failure is the caller's error. */
    ZMQ("zmq"),
    /** The broker only. */
    AMQP("amqp"),
    /** ZeroMQ while the node answers, the broker when it does not: the migration mode. */
    ZMQ_FIRST("zmq-first");

    private final String wireName;

    DeliveryPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in properties, the matchmaker API and the actuator endpoint. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether ZeroMQ is tried at all. */
    public boolean usesZmq() {
        return this != AMQP;
    }

    /**
     * The policy of a wire name, exact match ({@code zmq}, {@code amqp}, {@code zmq-first}): what the matchmaker
     * API accepts and stores.
     */
    public static Optional<DeliveryPolicy> fromWire(String name) {
        for (DeliveryPolicy p : values()) {
            if (p.wireName.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads {@code zmq}, {@code amqp} or {@code zmq-first}, tolerating case, surrounding blanks and {@code _} for
     * {@code -} (so {@code ZMQ_FIRST} too): what an operator types at the actuator endpoint.
     *
     * @throws IllegalArgumentException for any other text, naming the valid ones
     */
    public static DeliveryPolicy of(String text) {
        String normalized = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return fromWire(normalized).orElseThrow(() -> new IllegalArgumentException(
                "Unknown delivery policy '" + text + "'; expected one of [" + wireNames() + "]"));
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
