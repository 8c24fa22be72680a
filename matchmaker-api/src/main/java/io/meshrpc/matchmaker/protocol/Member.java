package io.meshrpc.matchmaker.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A live member of a topic, as a sender needs it.
 *
 * @param nodeId the node's id
 * @param endpoint its ZeroMQ receiver {@code tcp://host:port}; {@code null} (absent) for a broker-only node
 * @param transports what it receives on: {@code zmq}, {@code amqp}
 * @param publicKey its CURVE public key (Z85), or {@code null} (absent)
 * @param policy the node's own delivery-policy override, or {@code null} (absent) for none; it wins over the
 *        topic's
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Member(String nodeId, String endpoint, List<String> transports, String publicKey, String policy) {

    public Member {
        transports = transports == null ? List.of() : List.copyOf(transports);
    }
}
