package io.meshrpc.gateway.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/**
 * The matchmaker's fleet view boiled down for the dashboard: per node its topics, the policy in
 * force per topic, whether its ZeroMQ receiver is live, and its share of traffic per transport
 * (from the {@code stats} its heartbeats carry); plus the same shares fleet-wide.
 *
 * @param time       the matchmaker's clock at the fleet view
 * @param count      nodes in the view
 * @param zmqLive    nodes whose ZeroMQ receiver is live (see {@link Node#zmqLive})
 * @param sent       messages sent per transport, summed over the nodes' stats
 * @param received   messages received per transport, summed over the nodes' stats
 * @param share      fraction of all messages (sent + received) per transport, fleet-wide
 * @param topics     every topic served or with an override, with the topic's override ({@code null}: none)
 * @param nodes      the nodes, sorted by id
 */
public record FleetSummary(String time, int count, int zmqLive, Map<String, Long> sent, Map<String, Long> received,
                           Map<String, Double> share, Map<String, String> topics, List<Node> nodes) {

    /**
     * One node.
     *
     * @param nodeId         its id
     * @param state          {@code LIVE} (heartbeating) or {@code STATIC} (from a ring import)
     * @param topics         topics it serves
     * @param transports     what it receives on
     * @param endpoint       its ZeroMQ receiver
     * @param zmqLive        it receives on ZeroMQ and is live: heartbeating within its TTL ({@code LIVE}),
     *                       or a ring node ({@code STATIC}, taken as live)
     * @param lastHeartbeat  its last heartbeat, {@code null} for a ring node
     * @param heartbeatAgeSeconds seconds since then, on the matchmaker's clock
     * @param nodePolicy     the node's own override, or {@code null}
     * @param policies       per topic, the override in force (node's, else topic's); a topic missing
     *                       runs on the node's own configuration
     * @param sent           messages sent per transport, from its stats
     * @param received       messages received per transport, from its stats
     * @param share          fraction of its messages (sent + received) per transport; empty without stats
     */
    public record Node(String nodeId, String state, List<String> topics, List<String> transports, String endpoint,
                       boolean zmqLive, String lastHeartbeat, Double heartbeatAgeSeconds, String nodePolicy,
                       Map<String, String> policies, Map<String, Long> sent, Map<String, Long> received,
                       Map<String, Double> share) {
    }

    /** From {@code GET /api/v1/nodes} and {@code GET /api/v1/policies}. */
    public static FleetSummary of(JsonNode view, JsonNode overrides) {
        String time = text(view.path("time"));
        Instant now = instant(time);
        List<Node> nodes = new ArrayList<>();
        Map<String, Long> sent = new TreeMap<>();
        Map<String, Long> received = new TreeMap<>();
        Map<String, String> topics = new TreeMap<>();
        overrides.path("topics").properties().forEach(e -> topics.put(e.getKey(), text(e.getValue())));
        int zmqLive = 0;
        for (JsonNode n : view.path("nodes")) {
            List<String> nodeTopics = strings(n.path("topics"));
            List<String> transports = strings(n.path("transports"));
            String state = text(n.path("state"));
            boolean live = transports.contains("zmq") && ("LIVE".equals(state) || "STATIC".equals(state));
            if (live) {
                zmqLive++;
            }
            String heartbeat = text(n.path("lastHeartbeat"));
            Instant beat = instant(heartbeat);
            Double age = now == null || beat == null ? null : Duration.between(beat, now).toMillis() / 1000.0;
            Map<String, String> policies = new TreeMap<>();
            n.path("policy").path("topics").properties().forEach(e -> policies.put(e.getKey(), text(e.getValue())));
            String nodePolicy = text(n.path("policy").path("node"));
            Map<String, Long> nodeSent = counts(n.path("stats").path("sent"));
            Map<String, Long> nodeReceived = counts(n.path("stats").path("received"));
            nodeSent.forEach((k, v) -> sent.merge(k, v, Long::sum));
            nodeReceived.forEach((k, v) -> received.merge(k, v, Long::sum));
            for (String topic : nodeTopics) {
                topics.putIfAbsent(topic, null);
            }
            nodes.add(new Node(text(n.path("nodeId")), state, nodeTopics, transports, text(n.path("endpoint")), live,
                    heartbeat, age, nodePolicy, policies, nodeSent, nodeReceived, share(nodeSent, nodeReceived)));
        }
        return new FleetSummary(time, nodes.size(), zmqLive, sent, received, share(sent, received), topics, nodes);
    }

    static Map<String, Double> share(Map<String, Long> sent, Map<String, Long> received) {
        Map<String, Long> both = new TreeMap<>(sent);
        received.forEach((k, v) -> both.merge(k, v, Long::sum));
        long total = both.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> share = new TreeMap<>();
        if (total > 0) {
            both.forEach((k, v) -> share.put(k, (double) v / total));
        }
        return share;
    }

    private static Map<String, Long> counts(JsonNode perTransport) {
        Map<String, Long> out = new TreeMap<>();
        if (perTransport.isObject()) {
            perTransport.properties().forEach(e -> {
                if (e.getValue().isNumber() && e.getValue().asDouble() >= 0) {
                    out.put(e.getKey(), e.getValue().asLong());
                }
            });
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            if (s.isString()) {
                out.add(s.asString());
            }
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n.isString() ? n.asString() : null;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
