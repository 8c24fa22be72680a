package io.meshrpc.matchmaker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The talk's matchmaker: a JSON ring file copied to every node.
 *
 * <p>Two shapes are read. The talk's own, topic to hosts:
 * <pre>{"scheduler": ["sched1", "sched2"], "consoleauth": ["cauth1", "cauth2"]}</pre>
 * and an extended one that adds where each host listens (hosts missing from {@code endpoints} use
 * the default port):
 * <pre>{"topics": {"scheduler": ["sched1"]}, "endpoints": {"sched1": "tcp://10.0.0.5:9501"}}</pre>
 * The shapes cannot be confused: in the talk's shape every value is an array.
 */
public final class RingFileMatchmaker extends StaticMatchmaker {

    private RingFileMatchmaker(Ring ring, int defaultPort) {
        super(ring.topics(), ring.endpoints(), defaultPort);
    }

    /** Reads a ring file; a bad file fails start-up with the reason and the path. */
    public static RingFileMatchmaker read(Path file, JsonMapper mapper, int defaultPort) {
        try (InputStream in = Files.newInputStream(file)) {
            return new RingFileMatchmaker(parse(mapper.readTree(in), file.toString()), defaultPort);
        } catch (IOException | JacksonException ex) {
            throw new IllegalArgumentException("Cannot read the ring file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Parses ring-file JSON already in memory. */
    public static RingFileMatchmaker parse(String json, JsonMapper mapper, int defaultPort) {
        return new RingFileMatchmaker(parse(mapper.readTree(json), "ring JSON"), defaultPort);
    }

    private static Ring parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " must be a JSON object of topic -> [hosts]");
        }
        JsonNode topicsNode = root.get("topics");
        if (topicsNode != null && topicsNode.isObject()) {
            return new Ring(topics(topicsNode, source), endpoints(root.get("endpoints"), source));
        }
        return new Ring(topics(root, source), Map.of());
    }

    private static Map<String, List<String>> topics(JsonNode node, String source) {
        Map<String, List<String>> topics = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException(source + ": topic '" + e.getKey() + "' must map to an array of hosts");
            }
            List<String> hosts = new ArrayList<>();
            for (JsonNode host : e.getValue()) {
                if (!host.isString()) {
                    throw new IllegalArgumentException(source + ": hosts of '" + e.getKey() + "' must be strings");
                }
                hosts.add(host.asString());
            }
            topics.put(e.getKey(), hosts);
        }
        return topics;
    }

    private static Map<String, String> endpoints(JsonNode node, String source) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(source + ": 'endpoints' must be an object of host -> tcp://host:port");
        }
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String endpoint = e.getValue().asString();
            if (!endpoint.matches("tcp://[^:/]+:\\d{1,5}")) {
                throw new IllegalArgumentException(source + ": endpoint of '" + e.getKey() + "' must be tcp://host:port,"
                        + " was '" + endpoint + "'");
            }
            endpoints.put(e.getKey(), endpoint);
        }
        return endpoints;
    }

    private record Ring(Map<String, List<String>> topics, Map<String, String> endpoints) {
    }
}
