package io.meshrpc.matchmaker.service.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.Transport;

/**
 * Counts the fleet into a {@link FleetSummaryView}, in one pass over the live nodes, against one snapshot of the
 * overrides (two reads of the policy store, not two per node: with Redis that is the difference between two round
 * trips and twenty thousand). The policy in force follows {@code PolicyService#inForce}: the node's override, else
 * the topic's, else none.
 */
final class FleetTally {

    /** The key of "no override in force": the node's own configuration decides. */
    static final String NONE = "none";

    private final Map<String, DeliveryPolicy> topicOverrides;
    private final Map<String, DeliveryPolicy> nodeOverrides;
    private final SortedMap<String, TopicCount> topics = new TreeMap<>();
    private final Map<String, Integer> policies = zeroPerPolicy();
    private final Map<String, Long> sent = new TreeMap<>();
    private final Map<String, Long> received = new TreeMap<>();
    private int nodes;
    private int zmqLive;

    private FleetTally(Map<String, DeliveryPolicy> topicOverrides, Map<String, DeliveryPolicy> nodeOverrides) {
        this.topicOverrides = topicOverrides;
        this.nodeOverrides = nodeOverrides;
    }

    /** The summary of these live nodes under these overrides (topic name / node id to override). */
    static FleetSummaryView summarize(long revision, Instant time, List<NodeRecord> live,
                                      Map<String, DeliveryPolicy> topicOverrides,
                                      Map<String, DeliveryPolicy> nodeOverrides) {
        FleetTally tally = new FleetTally(topicOverrides, nodeOverrides);
        topicOverrides.keySet().forEach(tally::topic);
        live.forEach(tally::add);
        return tally.view(revision, time);
    }

    private void add(NodeRecord node) {
        nodes++;
        if (node.transports().contains(Transport.ZMQ)) {
            zmqLive++;
        }
        DeliveryPolicy own = nodeOverrides.get(node.nodeId());
        Set<String> inForce = new LinkedHashSet<>();
        for (String topic : node.topics()) {
            DeliveryPolicy policy = own != null ? own : topicOverrides.get(topic);
            String key = policy == null ? NONE : policy.wireName();
            inForce.add(key);
            TopicCount count = topic(topic);
            count.liveNodes++;
            count.policies.merge(key, 1, Integer::sum);
        }
        inForce.forEach(key -> policies.merge(key, 1, Integer::sum));
        addCounts(node.stats().get("sent"), sent);
        addCounts(node.stats().get("received"), received);
    }

    private TopicCount topic(String topic) {
        return topics.computeIfAbsent(topic, t -> new TopicCount());
    }

    private FleetSummaryView view(long revision, Instant time) {
        List<FleetTopicSummary> perTopic = new ArrayList<>(topics.size());
        topics.forEach((topic, count) -> perTopic.add(new FleetTopicSummary(topic, count.liveNodes,
                topicOverrides.get(topic), Collections.unmodifiableMap(count.policies))));
        return new FleetSummaryView(revision, time, nodes, zmqLive, Collections.unmodifiableMap(policies),
                Collections.unmodifiableList(perTopic), new FleetTraffic(Collections.unmodifiableMap(sent),
                Collections.unmodifiableMap(received)));
    }

    /**
     * Adds a node's {@code {"zmq":12,"amqp":3}} to the totals. Only the transports the registry knows count (so that
     * a node cannot grow the answer with keys of its own), and only values that are numbers, finite and not negative.
     */
    private static void addCounts(Object perTransport, Map<String, Long> totals) {
        if (!(perTransport instanceof Map<?, ?> map)) {
            return;
        }
        map.forEach((transport, value) -> {
            if (transport instanceof String name && Transport.fromWire(name).isPresent()
                    && value instanceof Number number) {
                long count = count(number);
                if (count >= 0) {
                    totals.merge(name, count, FleetTally::saturatedSum);
                }
            }
        });
    }

    /** A message count: whole numbers as they are, fractions rounded; -1 for what cannot be a count. */
    private static long count(Number number) {
        double value = number.doubleValue();
        if (!Double.isFinite(value) || value < 0) {
            return -1;
        }
        if (value >= Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        boolean whole = number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte;
        return whole ? number.longValue() : Math.round(value);
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum; // both are >= 0: a negative sum is an overflow
    }

    /** {@code zmq, amqp, zmq-first, none}, each 0: every key is always in the answer. */
    private static Map<String, Integer> zeroPerPolicy() {
        Map<String, Integer> zero = new LinkedHashMap<>();
        for (DeliveryPolicy policy : DeliveryPolicy.values()) {
            zero.put(policy.wireName(), 0);
        }
        zero.put(NONE, 0);
        return zero;
    }

    /** What is counted per topic. */
    private static final class TopicCount {
        private final Map<String, Integer> policies = zeroPerPolicy();
        private int liveNodes;
    }
}
