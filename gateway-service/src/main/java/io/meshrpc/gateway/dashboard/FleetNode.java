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
 * One node of the dashboard's table, boiled down from the matchmaker's node view: its policy in force per topic,
 * whether its ZeroMQ receiver is live, and its share of traffic per transport (from the {@code stats} its
 * heartbeats carry).
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
public record FleetNode(String nodeId, String state, List<String> topics, List<String> transports, String endpoint,
                        boolean zmqLive, String lastHeartbeat, Double heartbeatAgeSeconds, String nodePolicy,
                        Map<String, String> policies, Map<String, Long> sent, Map<String, Long> received,
                        Map<String, Double> share) {

    /** From one node of the matchmaker's {@code GET /api/v1/fleet/nodes}; {@code now} is the matchmaker's clock. */
    static FleetNode of(JsonNode n, Instant now) {
        List<String> transports = strings(n.path("transports"));
        String state = text(n.path("state"));
        boolean live = transports.contains("zmq") && ("LIVE".equals(state) || "STATIC".equals(state));
        String heartbeat = text(n.path("lastHeartbeat"));
        Instant beat = instant(heartbeat);
        Double age = now == null || beat == null ? null : Duration.between(beat, now).toMillis() / 1000.0;
        Map<String, String> policies = new TreeMap<>();
        n.path("policy").path("topics").properties().forEach(e -> policies.put(e.getKey(), text(e.getValue())));
        Map<String, Long> sent = TrafficShares.counts(n.path("stats").path("sent"));
        Map<String, Long> received = TrafficShares.counts(n.path("stats").path("received"));
        return new FleetNode(text(n.path("nodeId")), state, strings(n.path("topics")), transports,
                text(n.path("endpoint")), live, heartbeat, age, text(n.path("policy").path("node")), policies, sent,
                received, TrafficShares.share(sent, received));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            if (s.isString()) {
                out.add(s.asString());
            }
        }
        return out;
    }

    static String text(JsonNode n) {
        return n.isString() ? n.asString() : null;
    }

    static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
