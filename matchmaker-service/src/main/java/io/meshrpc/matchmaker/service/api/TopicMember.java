package io.meshrpc.matchmaker.service.api;

import java.time.Instant;
import java.util.List;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.registry.Transport;

/**
 * A live node of a topic, with what a sender needs to reach it.
 *
 * @param policy the override in force for this node on this topic (node's, else topic's), or {@code null} for none
 * @param expiresAt when it drops out without a heartbeat, {@code null} for ring nodes
 */
public record TopicMember(String nodeId, NodeState state, String endpoint, List<Transport> transports,
                          String publicKey, DeliveryPolicy policy, Instant expiresAt) {
}
