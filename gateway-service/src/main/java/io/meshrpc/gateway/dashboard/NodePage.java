package io.meshrpc.gateway.dashboard;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One page of the dashboard's node table, from the matchmaker's {@code GET /api/v1/fleet/nodes}.
 *
 * @param time   the matchmaker's clock at the page
 * @param total  nodes that match the search (all pages)
 * @param offset index of the page's first node among them
 * @param limit  the page size
 * @param nodes  the page's nodes, by id
 */
public record NodePage(String time, int total, int offset, int limit, List<FleetNode> nodes) {

    static NodePage of(JsonNode page) {
        String time = FleetNode.text(page.path("time"));
        List<FleetNode> nodes = new ArrayList<>();
        for (JsonNode n : page.path("nodes")) {
            nodes.add(FleetNode.of(n, FleetNode.instant(time)));
        }
        return new NodePage(time, page.path("total").asInt(0), page.path("offset").asInt(0),
                page.path("limit").asInt(0), List.copyOf(nodes));
    }
}
