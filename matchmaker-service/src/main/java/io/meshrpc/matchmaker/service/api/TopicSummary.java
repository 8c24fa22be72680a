package io.meshrpc.matchmaker.service.api;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * A topic in {@code GET /api/v1/topics}.
 *
 * @param liveNodes how many live nodes serve it
 * @param policy the topic's override, or {@code null}
 */
public record TopicSummary(String topic, int liveNodes, DeliveryPolicy policy) {
}
