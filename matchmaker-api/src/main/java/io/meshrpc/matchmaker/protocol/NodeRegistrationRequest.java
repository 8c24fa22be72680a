package io.meshrpc.matchmaker.protocol;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code PUT /api/v1/nodes/{nodeId}}: a registration, or its renewal (the same body again; nodes of this
 * release renew with {@code PUT /api/v1/nodes/{nodeId}/heartbeat} instead, which has no body).
 * Unknown fields are ignored, so newer nodes can talk to an older matchmaker.
 *
 * @param topics topics the node serves (required, at least one)
 * @param endpoint ZeroMQ receiver {@code tcp://host:port} (required when {@code transports} has {@code zmq})
 * @param transports {@code zmq} and/or {@code amqp}; default both
 * @param ttlSeconds time to live in seconds; default {@code meshrpc.matchmaker.default-ttl}
 * @param publicKey CURVE public key (Z85, 40 characters), optional
 * @param stats a JSON object of traffic counts the node reports, optional, stored as {@code PUT /nodes/{nodeId}/stats}
 *        stores it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeRegistrationRequest(List<String> topics, String endpoint, List<String> transports,
                                      Integer ttlSeconds, String publicKey, Map<String, Object> stats) {
}
