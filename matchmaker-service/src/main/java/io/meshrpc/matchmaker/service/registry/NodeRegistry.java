package io.meshrpc.matchmaker.service.registry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import io.meshrpc.matchmaker.service.revision.ChangeLog;

/**
 * The registry: who serves which topic, and who is live. A registered node is live until its time to live passes
 * without a heartbeat; from then on lookups no longer return it, and the next {@link #sweep()} removes it.
 * Ring nodes have no time to live.
 *
 * <p>Every change of membership (a node joins, leaves, expires, or changes its topics, endpoint, transports or key)
 * gets a revision from the {@link ChangeLog} once it is stored; a heartbeat, a renewal that changes nothing and a
 * stats report do not. Stats live in their own {@link StatsStore} and are merged into the records that views read.
 *
 * <p>Inputs are validated by the caller (the API layer) before they reach the registry, so that a write either
 * happens whole or not at all.
 */
public class NodeRegistry {

    private static final Comparator<NodeRecord> BY_ID = Comparator.comparing(NodeRecord::nodeId);
    private static final List<Transport> RING_TRANSPORTS = List.of(Transport.ZMQ, Transport.AMQP);

    private final NodeStore store;
    private final StatsStore stats;
    private final ChangeLog changes;
    private final Clock clock;
    private final RegistryMetrics metrics;
    private final int ringDefaultPort;

    public NodeRegistry(NodeStore store, StatsStore stats, ChangeLog changes, Clock clock, RegistryMetrics metrics,
                        int ringDefaultPort) {
        this.store = store;
        this.stats = stats;
        this.changes = changes;
        this.clock = clock;
        this.metrics = metrics;
        this.ringDefaultPort = ringDefaultPort;
    }

    /**
     * Registers the node, or renews its registration: the whole registration is replaced. The revision moves
     * unless the node was live with the same membership. Stats in the registration are stored as by
     * {@link #reportStats}.
     */
    public RegisterResult register(String nodeId, Registration registration) {
        Instant now = now();
        Optional<NodeRecord> previous = store.get(nodeId);
        boolean renewal = previous.filter(p -> p.source() == NodeSource.REGISTERED && p.isLive(now)).isPresent();
        Instant registeredAt = renewal ? previous.get().registeredAt() : now;
        NodeRecord node = new NodeRecord(nodeId, NodeSource.REGISTERED, registration.topics(), registration.endpoint(),
                registration.transports(), registration.publicKey(), null, registration.ttl(),
                registeredAt, now, now.plus(registration.ttl()));
        Optional<NodeRecord> replaced = store.put(node);
        if (registration.stats() != null) {
            stats.put(nodeId, registration.stats());
        }
        if (replaced.filter(p -> !p.isLive(now)).isPresent()) {
            metrics.expired(1); // it had dropped out before the sweep came by
        }
        NodeRecord before = replaced.filter(p -> p.isLive(now)).orElse(null);
        long revision = node.sameMembership(before) ? changes.revision() : changes.append(Set.of(nodeId),
                topicsOf(before, node));
        return new RegisterResult(withStats(node), !renewal, revision);
    }

    /** Renews a live registration's time to live, as its heartbeat; {@code false} when there is none to renew. */
    public boolean heartbeat(String nodeId) {
        return store.renew(nodeId, now()).isPresent();
    }

    /** Stores what a live node reports about its traffic; {@code false} when no live node has that id. */
    public boolean reportStats(String nodeId, Map<String, Object> nodeStats) {
        if (find(nodeId).isEmpty()) {
            return false;
        }
        stats.put(nodeId, nodeStats);
        return true;
    }

    /** Removes the node; the revision of its leaving, empty when no live node had that id. */
    public OptionalLong deregister(String nodeId) {
        Instant now = now();
        Optional<NodeRecord> removed = store.remove(nodeId);
        if (removed.isEmpty()) {
            return OptionalLong.empty();
        }
        stats.remove(nodeId);
        long revision = changes.append(Set.of(nodeId), Set.copyOf(removed.get().topics()));
        if (!removed.get().isLive(now)) {
            metrics.expired(1);
            return OptionalLong.empty();
        }
        return OptionalLong.of(revision);
    }

    /** The node with its stats, if live. */
    public Optional<NodeRecord> find(String nodeId) {
        return member(nodeId).map(this::withStats);
    }

    /** The node as stored (no stats), if live: what a watcher is told. */
    public Optional<NodeRecord> member(String nodeId) {
        Instant now = now();
        return store.get(nodeId).filter(n -> n.isLive(now));
    }

    /** Every live node with its stats, by id. */
    public List<NodeRecord> live() {
        Map<String, Map<String, Object>> all = stats.all();
        return liveRecords().stream().map(n -> n.withStats(all.getOrDefault(n.nodeId(), Map.of()))).toList();
    }

    /** How many nodes are live. */
    public int liveCount() {
        return liveRecords().size();
    }

    /** The registry's revision now: what a read made after this call reflects at least. */
    public long revision() {
        return changes.revision();
    }

    private List<NodeRecord> liveRecords() {
        Instant now = now();
        return store.all().stream().filter(n -> n.isLive(now)).sorted(BY_ID).toList();
    }

    private NodeRecord withStats(NodeRecord node) {
        return stats.get(node.nodeId()).map(node::withStats).orElse(node);
    }

    private static Set<String> topicsOf(NodeRecord before, NodeRecord after) {
        Set<String> topics = new HashSet<>(after.topics());
        if (before != null) {
            topics.addAll(before.topics());
        }
        return topics;
    }

    /** The live nodes of one topic, by id, without stats; empty for a topic nobody serves. */
    public List<NodeRecord> live(String topic) {
        Instant now = now();
        return store.byTopic(topic).stream().filter(n -> n.isLive(now)).sorted(BY_ID).toList();
    }

    /** Topics with at least one live node, and how many. */
    public SortedMap<String, Integer> liveNodesPerTopic() {
        SortedMap<String, Integer> counts = new TreeMap<>();
        for (NodeRecord node : liveRecords()) {
            for (String topic : node.topics()) {
                counts.merge(topic, 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * Removes the nodes whose time to live passed, as one change (a sweep after a rack lost power wakes each
     * watcher once, not once per node), counts them, and refreshes the per-topic gauge.
     */
    public int sweep() {
        List<NodeRecord> removed = store.removeExpired(now());
        Set<String> ids = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (NodeRecord node : removed) {
            stats.remove(node.nodeId());
            ids.add(node.nodeId());
            topics.addAll(node.topics());
        }
        if (!ids.isEmpty()) {
            changes.append(ids, topics);
        }
        metrics.expired(removed.size());
        metrics.liveNodesPerTopic(liveNodesPerTopic());
        return removed.size();
    }

    /** The live registry in the talk's ring-file shape: topic to node ids, both sorted. */
    public SortedMap<String, List<String>> exportRing() {
        SortedMap<String, List<String>> ring = new TreeMap<>();
        for (NodeRecord node : liveRecords()) { // by id, so every list comes out sorted
            for (String topic : node.topics()) {
                ring.computeIfAbsent(topic, t -> new ArrayList<>()).add(node.nodeId());
            }
        }
        return ring;
    }

    /** Node id to ZeroMQ endpoint of every live node that has one, by id. */
    public SortedMap<String, String> exportEndpoints() {
        SortedMap<String, String> endpoints = new TreeMap<>();
        for (NodeRecord node : liveRecords()) {
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
        List<NodeRecord> before = liveRecords();
        Map<String, TreeSet<String>> topicsByHost = new LinkedHashMap<>();
        topics.forEach((topic, hosts) -> hosts.forEach(
                host -> topicsByHost.computeIfAbsent(host, h -> new TreeSet<>()).add(topic)));
        List<NodeRecord> ringNodes = new ArrayList<>(topicsByHost.size());
        topicsByHost.forEach((host, hostTopics) -> ringNodes.add(new NodeRecord(host, NodeSource.RING,
                List.copyOf(hostTopics), endpoints.getOrDefault(host, "tcp://" + host + ":" + ringDefaultPort),
                RING_TRANSPORTS, null, null, null, now, null, null)));
        RingReplaceResult result = store.replaceRing(ringNodes, now);
        recordRingChange(before, ringNodes);
        metrics.liveNodesPerTopic(liveNodesPerTopic());
        return result;
    }

    /** One change for a whole import: every ring node before and after, and their topics. */
    private void recordRingChange(List<NodeRecord> before, List<NodeRecord> ringNodes) {
        Set<String> ids = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (NodeRecord node : before) {
            if (node.source() == NodeSource.RING) {
                ids.add(node.nodeId());
                topics.addAll(node.topics());
            }
        }
        for (NodeRecord node : ringNodes) {
            ids.add(node.nodeId());
            topics.addAll(node.topics());
        }
        if (!ids.isEmpty()) {
            changes.append(ids, topics);
        }
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
