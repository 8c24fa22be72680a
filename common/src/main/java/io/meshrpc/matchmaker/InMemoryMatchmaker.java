package io.meshrpc.matchmaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A directory held in the memory of one process, where nodes register themselves.
 *
 * <p>For several nodes inside one JVM (tests, the embedded examples, benchmarks), whose ports are
 * only known once they are bound. It is a real directory, not a stand-in: registration and
 * deregistration behave as the matchmaker service's do, minus TTLs.
 */
public final class InMemoryMatchmaker implements Matchmaker {

    private final Map<String, NodeRef> nodes = new ConcurrentHashMap<>();
    private final Map<String, List<NodeRef>> topics = new ConcurrentHashMap<>();

    @Override
    public List<NodeRef> lookup(String topic) {
        return topics.getOrDefault(topic, List.of());
    }

    @Override
    public Optional<NodeRef> node(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    @Override
    public synchronized void register(NodeRef node, Set<String> nodeTopics) {
        deregister(node.nodeId());
        nodes.put(node.nodeId(), node);
        for (String topic : nodeTopics) {
            topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(node);
        }
    }

    @Override
    public synchronized void deregister(String nodeId) {
        if (nodes.remove(nodeId) == null) {
            return;
        }
        for (List<NodeRef> refs : new ArrayList<>(topics.values())) {
            refs.removeIf(ref -> ref.nodeId().equals(nodeId));
        }
    }
}
