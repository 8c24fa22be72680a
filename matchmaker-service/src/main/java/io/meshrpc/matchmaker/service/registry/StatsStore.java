package io.meshrpc.matchmaker.service.registry;

import java.util.Map;
import java.util.Optional;

/**
 * The traffic counts nodes report, kept apart from their membership: they change with every report, membership
 * almost never, and only membership moves the revision and wakes watchers. Implementations are thread safe.
 */
public interface StatsStore {

    void put(String nodeId, Map<String, Object> stats);

    Optional<Map<String, Object>> get(String nodeId);

    /** Every node's stats (a snapshot). */
    Map<String, Map<String, Object>> all();

    void remove(String nodeId);
}
