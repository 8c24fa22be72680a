package io.meshrpc.internal.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshrpc.api.Priority;
import io.meshrpc.api.RpcEndpoint;

/**
 * Served by every node with listener pools, on the topic that lists them in the matchmaker: says
 * which pools of which topics this node is a member of, and the priorities each receives, so a
 * publisher can send each pool the events it takes over ZeroMQ, to one of its members.
 */
@RpcEndpoint(topic = ListenerPoolsEndpoint.TOPIC)
public final class ListenerPoolsEndpoint {

    /** The topic every node with listener pools serves, over ZeroMQ only. */
    public static final String TOPIC = "meshrpc.notify";

    private final ListenerPools pools;

    public ListenerPoolsEndpoint(List<Subscription> subscriptions) {
        Map<String, List<ListenerPools.Pool>> byTopic = new LinkedHashMap<>();
        for (Subscription s : subscriptions) {
            List<String> priorities = s.priorities().stream().map(Priority::wireName).toList();
            byTopic.computeIfAbsent(s.topic(), t -> new ArrayList<>()).add(new ListenerPools.Pool(s.pool(), priorities));
        }
        this.pools = new ListenerPools(byTopic);
    }

    public ListenerPools pools() {
        return pools;
    }
}
