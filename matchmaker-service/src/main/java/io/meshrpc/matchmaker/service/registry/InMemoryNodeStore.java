package io.meshrpc.matchmaker.service.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry in this process's memory: the default store. Lost on restart and not shared between replicas.
 *
 * <p>Reads are lock free (concurrent maps and a topic index); writes take one lock so that a record and the topic
 * index change together.
 */
public final class InMemoryNodeStore implements NodeStore {

    private final Map<String, NodeRecord> nodes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> topicIndex = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public Optional<NodeRecord> put(NodeRecord node) {
        synchronized (writeLock) {
            NodeRecord previous = nodes.put(node.nodeId(), node);
            reindex(previous, node);
            return Optional.ofNullable(previous);
        }
    }

    @Override
    public Optional<NodeRecord> get(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    @Override
    public Optional<NodeRecord> renew(String nodeId, Instant now) {
        // the topics stay, so the index stays: no write lock, one atomic step on the map
        NodeRecord[] renewed = new NodeRecord[1];
        nodes.computeIfPresent(nodeId, (id, node) -> {
            if (node.source() != NodeSource.REGISTERED || !node.isLive(now)) {
                return node;
            }
            renewed[0] = node.renewed(now);
            return renewed[0];
        });
        return Optional.ofNullable(renewed[0]);
    }

    @Override
    public Optional<NodeRecord> remove(String nodeId) {
        synchronized (writeLock) {
            NodeRecord removed = nodes.remove(nodeId);
            unindex(removed);
            return Optional.ofNullable(removed);
        }
    }

    @Override
    public Collection<NodeRecord> all() {
        return List.copyOf(nodes.values());
    }

    @Override
    public Collection<NodeRecord> byTopic(String topic) {
        Set<String> ids = topicIndex.get(topic);
        if (ids == null) {
            return List.of();
        }
        List<NodeRecord> result = new ArrayList<>(ids.size());
        for (String id : ids) {
            NodeRecord node = nodes.get(id);
            // the index and the map are read without the lock: re-check membership
            if (node != null && node.serves(topic)) {
                result.add(node);
            }
        }
        return result;
    }

    @Override
    public List<NodeRecord> removeExpired(Instant now) {
        synchronized (writeLock) {
            List<NodeRecord> removed = new ArrayList<>();
            for (NodeRecord node : List.copyOf(nodes.values())) {
                if (!node.isLive(now) && nodes.remove(node.nodeId(), node)) {
                    unindex(node);
                    removed.add(node);
                }
            }
            return removed;
        }
    }

    @Override
    public RingReplaceResult replaceRing(Collection<NodeRecord> ringNodes, Instant now) {
        synchronized (writeLock) {
            Set<String> listed = new HashSet<>();
            Set<String> topics = new HashSet<>();
            for (NodeRecord node : ringNodes) {
                listed.add(node.nodeId());
                topics.addAll(node.topics());
            }
            int removed = 0;
            for (NodeRecord node : List.copyOf(nodes.values())) {
                if (node.source() == NodeSource.RING && !listed.contains(node.nodeId())) {
                    nodes.remove(node.nodeId());
                    unindex(node);
                    removed++;
                }
            }
            List<String> kept = new ArrayList<>();
            int stored = 0;
            for (NodeRecord node : ringNodes) {
                NodeRecord existing = nodes.get(node.nodeId());
                if (existing != null && existing.source() == NodeSource.REGISTERED && existing.isLive(now)) {
                    kept.add(node.nodeId());
                    continue;
                }
                reindex(nodes.put(node.nodeId(), node), node);
                stored++;
            }
            kept.sort(null);
            return new RingReplaceResult(topics.size(), stored, removed, kept);
        }
    }

    /** Adds first, then drops the topics the node left, so that lock-free readers never miss it on a heartbeat. */
    private void reindex(NodeRecord previous, NodeRecord node) {
        for (String topic : node.topics()) {
            topicIndex.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(node.nodeId());
        }
        if (previous != null) {
            for (String topic : previous.topics()) {
                if (!node.serves(topic)) {
                    unindex(previous.nodeId(), topic);
                }
            }
        }
    }

    private void unindex(NodeRecord node) {
        if (node == null) {
            return;
        }
        for (String topic : node.topics()) {
            unindex(node.nodeId(), topic);
        }
    }

    private void unindex(String nodeId, String topic) {
        Set<String> ids = topicIndex.get(topic);
        if (ids != null) {
            ids.remove(nodeId);
            if (ids.isEmpty()) {
                topicIndex.remove(topic);
            }
        }
    }
}
