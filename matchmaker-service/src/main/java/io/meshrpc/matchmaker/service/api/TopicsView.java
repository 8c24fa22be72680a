package io.meshrpc.matchmaker.service.api;

import java.util.List;

/** {@code GET /api/v1/topics}: the topics with at least one live node, by name. */
public record TopicsView(List<TopicSummary> topics) {
}
