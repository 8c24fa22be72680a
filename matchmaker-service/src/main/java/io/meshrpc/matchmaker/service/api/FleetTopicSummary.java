package io.meshrpc.matchmaker.service.api;

import java.util.Map;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * One topic in {@code GET /api/v1/fleet/summary}.
 *
 * @param topic     the topic
 * @param liveNodes how many live nodes serve it (0 for a topic that only has an override)
 * @param policy    the topic's override, or {@code null}
 * @param policies  its live nodes per policy in force on this topic (the node's override, else the topic's):
 *                  {@code zmq}, {@code amqp}, {@code zmq-first}, and {@code none} for no override
 */
public record FleetTopicSummary(String topic, int liveNodes, DeliveryPolicy policy, Map<String, Integer> policies) {
}
