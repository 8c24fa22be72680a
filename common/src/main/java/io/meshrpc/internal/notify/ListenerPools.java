package io.meshrpc.internal.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.meshrpc.api.Priority;
import io.meshrpc.api.Target;

/**
 * What a listener node answers a publisher that asks for its pools: per notification topic, the
 * pools it is a member of and the priorities each receives.
 *
 * @param byTopic notification topic to the node's pools of it
 */
public record ListenerPools(Map<String, List<Pool>> byTopic) {

    /**
     * One pool of a topic.
     *
     * @param name       the pool
     * @param priorities the priorities it receives, by their wire names ({@code info}, {@code sample}, ...)
     */
    public record Pool(String name, List<String> priorities) {

        public Pool {
            priorities = priorities == null ? List.of() : List.copyOf(priorities);
        }

        boolean receives(Priority priority) {
            return priorities.contains(priority.wireName());
        }
    }

    public ListenerPools {
        byTopic = byTopic == null ? Map.of() : Map.copyOf(byTopic);
    }

    static final ListenerPools NONE = new ListenerPools(Map.of());

    /**
     * The names of the pools of {@code topic} that receive {@code priority}; an entry that is not a valid pool
     * (an answer from a hostile or broken node) is left out.
     */
    List<String> receiving(String topic, Priority priority) {
        List<Pool> pools = byTopic.get(topic);
        if (pools == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(pools.size());
        for (Pool pool : pools) {
            if (pool != null && Target.isValidTopic(pool.name()) && pool.receives(priority)) {
                names.add(pool.name());
            }
        }
        return names;
    }
}
