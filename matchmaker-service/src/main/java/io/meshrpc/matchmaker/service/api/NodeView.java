package io.meshrpc.matchmaker.service.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.Transport;

/** One node in the fleet view and in {@code GET /api/v1/nodes/{nodeId}}. */
public record NodeView(String nodeId, NodeState state, List<String> topics, String endpoint,
                       List<Transport> transports, String publicKey, Long ttlSeconds, Instant registeredAt,
                       Instant lastHeartbeat, Instant expiresAt, Map<String, Object> stats, NodePolicyInForce policy) {

    static NodeView of(NodeRecord node, PolicyService policies) {
        return new NodeView(node.nodeId(), NodeState.of(node), node.topics(), node.endpoint(), node.transports(),
                node.publicKey(), node.ttl() == null ? null : node.ttl().toSeconds(), node.registeredAt(),
                node.lastHeartbeat(), node.expiresAt(), node.stats(),
                new NodePolicyInForce(policies.get(PolicyScope.NODE, node.nodeId()).orElse(null),
                        policies.inForce(node.nodeId(), node.topics())));
    }
}
