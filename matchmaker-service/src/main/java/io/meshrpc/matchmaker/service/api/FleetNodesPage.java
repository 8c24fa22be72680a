package io.meshrpc.matchmaker.service.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/fleet/nodes}: one page of the live nodes, by id.
 *
 * @param revision the registry's revision the page reflects (at least)
 * @param time   the matchmaker's clock when the page was taken
 * @param total  how many live nodes match the query (all pages)
 * @param offset index of the first node of this page among them
 * @param limit  the page size asked for
 * @param nodes  at most {@code limit} nodes, as in {@code GET /api/v1/nodes/{nodeId}}
 */
public record FleetNodesPage(long revision, Instant time, int total, int offset, int limit, List<NodeView> nodes) {
}
