package io.meshrpc.matchmaker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a node announces about itself. The stats supplier is read at every heartbeat, so the
 * directory shows each node's current traffic per transport (the migration dashboard's source)
 * without a meter tagged by node id anywhere.
 *
 * @param node       the node and its ZeroMQ endpoint
 * @param topics     the topics it serves
 * @param transports the transports it receives on: {@code zmq}, and {@code amqp} with a broker
 * @param stats      message counts to report, e.g. {@code {"sent":{"zmq":12,"amqp":3}}}
 */
public record Registration(NodeRef node, Set<String> topics, List<String> transports,
                           Supplier<Map<String, Object>> stats) {

    public Registration {
        topics = Set.copyOf(topics);
        transports = List.copyOf(transports);
        stats = stats == null ? Map::of : stats;
    }
}
