package io.meshrpc.matchmaker.service.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/nodes}: every live node, by id.
 *
 * @param time the matchmaker's clock when the view was taken
 * @param count how many nodes
 * @param nodes the nodes
 */
public record FleetView(Instant time, int count, List<NodeView> nodes) {
}
