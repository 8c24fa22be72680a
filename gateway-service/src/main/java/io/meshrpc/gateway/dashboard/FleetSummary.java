package io.meshrpc.gateway.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The fleet in numbers for the dashboard's tiles, topic table and share chart, from the matchmaker's
 * {@code GET /api/v1/fleet/summary} (a few hundred bytes per topic, whatever the number of nodes).
 *
 * @param time     when the matchmaker computed the summary (its clock; it keeps one for about a second)
 * @param count    live nodes
 * @param zmqLive  live nodes that receive on ZeroMQ
 * @param sent     messages sent per transport, summed over the nodes' stats
 * @param received messages received per transport, summed over the nodes' stats
 * @param share    fraction of all messages (sent + received) per transport, fleet-wide
 * @param policies live nodes per policy in force ({@code zmq}, {@code amqp}, {@code zmq-first}, {@code none}:
 *                 no override); a node whose topics run under different policies counts under each
 * @param topics   every topic with a live node or an override, by name
 */
public record FleetSummary(String time, int count, int zmqLive, Map<String, Long> sent, Map<String, Long> received,
                           Map<String, Double> share, Map<String, Integer> policies, List<Topic> topics) {

    /**
     * One topic.
     *
     * @param topic     its name
     * @param liveNodes live nodes serving it
     * @param policy    the topic's override, or {@code null}
     * @param policies  its nodes per policy in force on it ({@code none}: no override)
     */
    public record Topic(String topic, int liveNodes, String policy, Map<String, Integer> policies) {
    }

    /** From the matchmaker's {@code GET /api/v1/fleet/summary}. */
    static FleetSummary of(JsonNode summary) {
        Map<String, Long> sent = TrafficShares.counts(summary.path("traffic").path("sent"));
        Map<String, Long> received = TrafficShares.counts(summary.path("traffic").path("received"));
        List<Topic> topics = new ArrayList<>();
        for (JsonNode t : summary.path("topics")) {
            topics.add(new Topic(FleetNode.text(t.path("topic")), t.path("liveNodes").asInt(0),
                    FleetNode.text(t.path("policy")), perPolicy(t.path("policies"))));
        }
        return new FleetSummary(FleetNode.text(summary.path("time")), summary.path("nodes").asInt(0),
                summary.path("zmqLive").asInt(0), sent, received, TrafficShares.share(sent, received),
                perPolicy(summary.path("policies")), List.copyOf(topics));
    }

    private static Map<String, Integer> perPolicy(JsonNode counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.properties().forEach(e -> out.put(e.getKey(), e.getValue().asInt(0)));
        return out;
    }
}
