package io.meshrpc.matchmaker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.meshrpc.api.Target;

/**
 * A fixed directory: topics to host names, and host names to endpoints, from configuration (the
 * {@code meshrpc.matchmaker.static.*} properties, or a ring file).
 *
 * <p>A host without an explicit endpoint is reached at {@code tcp://<host>:<default port>}, as the
 * talk's ring file assumed every node's receiver on {@code rpc_zmq_port}.
 */
public class StaticMatchmaker implements Matchmaker {

    private final Map<String, List<NodeRef>> topics;
    private final Map<String, NodeRef> nodes;

    public StaticMatchmaker(Map<String, List<String>> topicHosts, Map<String, String> endpoints, int defaultPort) {
        Map<String, NodeRef> byId = new LinkedHashMap<>();
        Map<String, List<NodeRef>> byTopic = new LinkedHashMap<>();
        topicHosts.forEach((topic, hosts) -> {
            if (!Target.isValidTopic(topic)) {
                throw new IllegalArgumentException("Invalid topic '" + topic + "' in the matchmaker configuration");
            }
            List<NodeRef> refs = new ArrayList<>();
            for (String host : hosts) {
                if (!Target.isValidServer(host)) {
                    throw new IllegalArgumentException("Invalid host '" + host + "' for topic '" + topic + "'");
                }
                NodeRef ref = byId.computeIfAbsent(host,
                        h -> new NodeRef(h, endpoints.getOrDefault(h, "tcp://" + h + ":" + defaultPort)));
                refs.add(ref);
            }
            byTopic.put(topic, List.copyOf(refs));
        });
        endpoints.forEach((host, endpoint) -> byId.putIfAbsent(host, new NodeRef(host, endpoint)));
        this.topics = Map.copyOf(byTopic);
        this.nodes = Map.copyOf(byId);
    }

    @Override
    public List<NodeRef> lookup(String topic) {
        return topics.getOrDefault(topic, List.of());
    }

    @Override
    public Optional<NodeRef> node(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }
}
