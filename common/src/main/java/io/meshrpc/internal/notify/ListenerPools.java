package io.meshrpc.internal.notify;

import java.util.List;
import java.util.Map;

/**
 * What a listener node answers a publisher that asks for its pools: per notification topic, the
 * pools it is a member of.
 *
 * @param byTopic notification topic to pool names
 */
public record ListenerPools(Map<String, List<String>> byTopic) {

    public ListenerPools {
        byTopic = byTopic == null ? Map.of() : Map.copyOf(byTopic);
    }

    static final ListenerPools NONE = new ListenerPools(Map.of());

    List<String> of(String topic) {
        return byTopic.getOrDefault(topic, List.of());
    }
}
