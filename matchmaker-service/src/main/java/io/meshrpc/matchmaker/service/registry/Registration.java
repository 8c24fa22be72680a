package io.meshrpc.matchmaker.service.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated registration or heartbeat: what a node says about itself.
 *
 * @param topics the topics it serves (at least one)
 * @param endpoint its ZeroMQ receiver {@code tcp://host:port}, {@code null} only when it does not receive on ZeroMQ
 * @param transports what it receives on (at least one)
 * @param publicKey CURVE public key (Z85) or {@code null}
 * @param stats traffic counts it reports, or {@code null}
 * @param ttl how long the registration holds without another heartbeat
 */
public record Registration(List<String> topics, String endpoint, List<Transport> transports, String publicKey,
                           Map<String, Object> stats, Duration ttl) {
}
