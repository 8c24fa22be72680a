package io.meshrpc.matchmaker.service.api;

import java.util.Map;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/** {@code GET /api/v1/policies}: every override, topic to policy and node id to policy. */
public record PoliciesView(Map<String, DeliveryPolicy> topics, Map<String, DeliveryPolicy> nodes) {
}
