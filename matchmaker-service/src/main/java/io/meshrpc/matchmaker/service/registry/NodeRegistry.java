package io.meshrpc.matchmaker.service.registry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry: who serves which topic, and who is live. A registered node is live until its time to live passes
 * without a heartbeat; from then on lookups no longer return it, and the next {@link #sweep()} removes it.
 * Ring nodes have no time to live.
 *
 * <p>Inputs are validated by the caller (the API layer) before they reach the registry, so that a write either
 * happens whole or not at all.
 */
public class NodeRegistry {

    private static final Comparator<NodeRecord> BY_ID = Comparator.comparing(NodeRecord::nodeId);
    private static final List<Transport> RING_TRANSPORTS = List.of(Transport.ZMQ, Transport.AMQP);

    private final NodeStore store;
    private final Clock clock;
    private final RegistryMetrics metrics;
    private final int ringDefaultPort;

    public NodeRegistry(NodeStore store, Clock clock, RegistryMetrics metrics, int ringDefaultPort) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.ringDefaultPort = ringDefaultPort;
    }

    /** Registers the node, or renews its registration (a heartbeat): the whole registration is replaced. */
    public RegisterResult register(String nodeId, Registration registration) {
        Instant now = now();
        Optional<NodeRecord> previous = store.get(nodeId);
        boolean renewal = previous.filter(p -> p.source() == NodeSource.REGISTERED && p.isLive(now)).isPresent();
        Instant registeredAt = renewal ? previous.get().registeredAt() : now;
        NodeRecord node = new NodeRecord(nodeId, NodeSource.REGISTERED, registration.topics(), registration.endpoint(),
                registration.transports(), registration.publicKey(), registration.stats(), registration.ttl(),
                registeredAt, now, now.plus(registration.ttl()));
        Optional<NodeRecord> replaced = store.put(node);
        if (replaced.filter(p -> !p.isLive(now)).isPresent()) {
            metrics.expired(1); // it had dropped out before the sweep came by
        }
        return new RegisterResult(node, !renewal);
    }

    /** Removes the node; {@code false} when no live node had that id. */
    public boolean deregister(String nodeId) {
        Instant now = now();
        Optional<NodeRecord> removed = store.remove(nodeId);
        if (removed.isEmpty()) {
            return false;
        }
        if (!removed.get().isLive(now)) {
            metrics.expired(1);
            return false;
        }
        return true;
    }

    /** The node, if live. */
    public Optional<NodeRecord> find(String nodeId) {
        Instant now = now();
        return store.get(nodeId).filter(n -> n.isLive(now));
    }

    /** Every live node, by id. */
    public List<NodeRecord> live() {
        Instant now = now();
        return store.all().stream().filter(n -> n.isLive(now)).sorted(BY_ID).toList();
    }

    /** The live nodes of one topic, by id; empty for a topic nobody serves. */
    public List<NodeRecord> live(String topic) {
        Instant now = now();
        return store.byTopic(topic).stream().filter(n -> n.isLive(now)).sorted(BY_ID).toList();
    }

    /** Topics with at least one live node, and how many. */
    public SortedMap<String, Integer> liveNodesPerTopic() {
        SortedMap<String, Integer> counts = new TreeMap<>();
        for (NodeRecord node : live()) {
            for (String topic : node.topics()) {
                counts.merge(topic, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Removes the nodes whose time to live passed, counts them, and refreshes the per-topic gauge. */
    public int sweep() {
        int removed = store.removeExpired(now()).size();
        metrics.expired(removed);
        metrics.liveNodesPerTopic(liveNodesPerTopic());
        return removed;
    }

    /** The live registry in the talk's ring-file shape: topic to node ids, both sorted. */
    public SortedMap<String, List<String>> exportRing() {
        SortedMap<String, List<String>> ring = new TreeMap<>();
        for (NodeRecord node : live()) { // by id, so every list comes out sorted
            for (String topic : node.topics()) {
                ring.computeIfAbsent(topic, t -> new ArrayList<>()).add(node.nodeId());
            }
        }
        return ring;
    }

    /** Node id to ZeroMQ endpoint of every live node that has one, by id. */
    public SortedMap<String, String> exportEndpoints() {
        SortedMap<String, String> endpoints = new TreeMap<>();
        for (NodeRecord node : live()) {
            if (node.endpoint() != null) {
                endpoints.put(node.nodeId(), node.endpoint());
            }
        }
        return endpoints;
    }

    /**
     * Replaces the ring nodes with a ring file's content (already validated). Hosts without an entry in
     * {@code endpoints} listen on {@code tcp://<host>:<ring-default-port>}. Registered live nodes keep their
     * registration.
     */
    public RingReplaceResult importRing(Map<String, List<String>> topics, Map<String, String> endpoints) {
        Instant now = now();
        Map<String, TreeSet<String>> topicsByHost = new LinkedHashMap<>();
        topics.forEach((topic, hosts) -> hosts.forEach(
                host -> topicsByHost.computeIfAbsent(host, h -> new TreeSet<>()).add(topic)));
        List<NodeRecord> ringNodes = new ArrayList<>(topicsByHost.size());
        topicsByHost.forEach((host, hostTopics) -> ringNodes.add(new NodeRecord(host, NodeSource.RING,
                List.copyOf(hostTopics), endpoints.getOrDefault(host, "tcp://" + host + ":" + ringDefaultPort),
                RING_TRANSPORTS, null, null, null, now, null, null)));
        RingReplaceResult result = store.replaceRing(ringNodes, now);
        metrics.liveNodesPerTopic(liveNodesPerTopic());
        return result;
    }

    /** The clock to the millisecond: stores keep times as epoch milliseconds. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The store's type, for health. */
    public String storeType() {
        return store.type();
    }
}
