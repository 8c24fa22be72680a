package io.meshrpc.matchmaker.service.registry;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Stats in this process's memory, with the in-memory registry. */
public final class InMemoryStatsStore implements StatsStore {

    private final Map<String, Map<String, Object>> stats = new ConcurrentHashMap<>();

    @Override
    public void put(String nodeId, Map<String, Object> nodeStats) {
        stats.put(nodeId, nodeStats);
    }

    @Override
    public Optional<Map<String, Object>> get(String nodeId) {
        return Optional.ofNullable(stats.get(nodeId));
    }

    @Override
    public Map<String, Map<String, Object>> all() {
        return Map.copyOf(stats);
    }

    @Override
    public void remove(String nodeId) {
        stats.remove(nodeId);
    }
}
