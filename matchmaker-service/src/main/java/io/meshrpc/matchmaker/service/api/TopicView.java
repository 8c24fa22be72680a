package io.meshrpc.matchmaker.service.api;

import java.util.List;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * {@code GET /api/v1/topics/{topic}}: the live nodes of a topic, by id (empty when nobody serves it).
 *
 * @param policy the topic's override, or {@code null}
 */
public record TopicView(String topic, DeliveryPolicy policy, List<TopicMember> nodes) {
}
