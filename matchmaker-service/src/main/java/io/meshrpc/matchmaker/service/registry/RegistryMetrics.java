package io.meshrpc.matchmaker.service.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The registry's meters. Tagged by topic only, never by node id: fleets reach tens of thousands of nodes
 * (docs/metrics.md).
 * <ul>
 * <li>{@code meshrpc.matchmaker.nodes} {topic}: live nodes per topic, refreshed on every sweep; a topic without live
 * nodes disappears from the gauge.</li>
 * <li>{@code meshrpc.matchmaker.expirations}: nodes that dropped out because their time to live passed.</li>
 * </ul>
 */
public class RegistryMetrics {

    public static final String NODES = "meshrpc.matchmaker.nodes";
    public static final String EXPIRATIONS = "meshrpc.matchmaker.expirations";

    private final Counter expirations;
    private final MultiGauge nodesPerTopic;

    private Map<String, Integer> lastCounts;

    public RegistryMetrics(MeterRegistry registry) {
        this.expirations = Counter.builder(EXPIRATIONS)
                .description("Nodes removed from the registry because their time to live passed")
                .baseUnit("nodes")
                .register(registry);
        this.nodesPerTopic = MultiGauge.builder(NODES)
                .description("Live nodes per topic")
                .baseUnit("nodes")
                .register(registry);
    }

    public void expired(int count) {
        if (count > 0) {
            expirations.increment(count);
        }
    }

    /**
     * Replaces the per-topic gauge rows with these counts, when they changed: re-registering
     * hundreds of rows every sweep cost the service a CPU burst every second (seen in the lookup
     * benchmark's p99).
     */
    public synchronized void liveNodesPerTopic(Map<String, Integer> counts) {
        if (counts.equals(lastCounts)) {
            return;
        }
        lastCounts = Map.copyOf(counts);
        List<MultiGauge.Row<?>> rows = new ArrayList<>(counts.size());
        counts.forEach((topic, count) -> rows.add(MultiGauge.Row.of(Tags.of("topic", topic), count)));
        nodesPerTopic.register(rows, true);
    }
}
