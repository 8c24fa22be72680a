package io.meshrpc.matchmaker.service.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Reads and checks ring-file JSON in the two shapes the ring-file matchmaker of {@code common} reads: the talk's,
 * topic to hosts ({@code {"scheduler": ["sched1", "sched2"]}}), and the extended one with endpoints
 * ({@code {"topics": {...}, "endpoints": {"sched1": "tcp://10.0.0.5:9501"}}}). Every violation is collected before
 * anything is imported.
 */
final class RingParser {

    static final int MAX_HOSTS = 100_000;

    /** A checked ring. */
    record Ring(Map<String, List<String>> topics, Map<String, String> endpoints) {
    }

    private RingParser() {
    }

    static Ring parse(JsonNode root, int defaultPort) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("body", "a ring is a JSON object of topic -> [hosts]");
        }
        List<Violation> violations = new ArrayList<>();
        JsonNode topicsNode = root.get("topics");
        boolean extended = topicsNode != null && topicsNode.isObject();
        Map<String, List<String>> topics = topics(extended ? topicsNode : root, extended ? "topics." : "", violations);
        Map<String, String> endpoints = extended ? endpoints(root.get("endpoints"), violations) : Map.of();
        // hosts without an explicit endpoint listen on tcp://<host>:<default port>: the host must be an address
        topics.forEach((topic, hosts) -> {
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i);
                if (host != null && Checks.NODE_ID.matcher(host).matches() && !endpoints.containsKey(host)
                        && Checks.endpointProblem("tcp://" + host + ":" + defaultPort) != null) {
                    violations.add(new Violation((extended ? "topics." : "") + topic + "[" + i + "]", "host '" + host
                            + "' is no host name, so it needs an entry in \"endpoints\" (the extended ring shape)"));
                }
            }
        });
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new Ring(topics, endpoints);
    }

    private static Map<String, List<String>> topics(JsonNode node, String prefix, List<Violation> violations) {
        Map<String, List<String>> topics = new LinkedHashMap<>();
        int total = 0;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String topic = e.getKey();
            String field = prefix + topic;
            Checks.topic(field, topic, violations);
            if (!e.getValue().isArray()) {
                violations.add(new Violation(field, "topic '" + Checks.abbreviate(topic) + "' must map to an array of hosts"));
                continue;
            }
            List<String> hosts = new ArrayList<>();
            int i = 0;
            for (JsonNode host : e.getValue()) {
                if (!host.isString()) {
                    violations.add(new Violation(field + "[" + i + "]", "a host is a string (a node id)"));
                } else {
                    Checks.nodeId(field + "[" + i + "]", host.asString(), violations);
                    hosts.add(host.asString());
                }
                i++;
            }
            total += hosts.size();
            topics.put(topic, hosts);
        }
        if (total > MAX_HOSTS) {
            violations.add(new Violation("body", "at most " + MAX_HOSTS + " topic entries per ring"));
        }
        return topics;
    }

    private static Map<String, String> endpoints(JsonNode node, List<Violation> violations) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return endpoints;
        }
        if (!node.isObject()) {
            violations.add(new Violation("endpoints", "endpoints is a JSON object of host -> tcp://host:port"));
            return endpoints;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String field = "endpoints." + e.getKey();
            Checks.nodeId(field, e.getKey(), violations);
            if (!e.getValue().isString()) {
                violations.add(new Violation(field, "an endpoint is a string tcp://host:port"));
                continue;
            }
            Checks.endpoint(field, e.getValue().asString(), violations);
            endpoints.put(e.getKey(), e.getValue().asString());
        }
        return endpoints;
    }
}
