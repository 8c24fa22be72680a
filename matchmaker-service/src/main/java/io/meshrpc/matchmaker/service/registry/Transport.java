package io.meshrpc.matchmaker.service.registry;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The transports a node receives on. */
public enum Transport {

    ZMQ("zmq"),
    AMQP("amqp");

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<Transport> fromWire(String name) {
        for (Transport t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
