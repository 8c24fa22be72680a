package io.meshrpc.matchmaker.service.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code PUT /api/v1/nodes/{nodeId}}: a registration, or a heartbeat (the same body again).
 * Unknown fields are ignored, so newer nodes can talk to an older matchmaker.
 *
 * @param topics topics the node serves (required, at least one)
 * @param endpoint ZeroMQ receiver {@code tcp://host:port} (required when {@code transports} has {@code zmq})
 * @param transports {@code zmq} and/or {@code amqp}; default both
 * @param ttlSeconds time to live in seconds; default {@code meshrpc.matchmaker.default-ttl}
 * @param publicKey CURVE public key (Z85, 40 characters), optional
 * @param stats a JSON object of traffic counts the node reports, optional, shown in the fleet view as sent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeRegistrationRequest(List<String> topics, String endpoint, List<String> transports,
                                      Integer ttlSeconds, String publicKey, Map<String, Object> stats) {
}
