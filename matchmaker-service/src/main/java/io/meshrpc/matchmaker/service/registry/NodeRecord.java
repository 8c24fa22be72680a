package io.meshrpc.matchmaker.service.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One node as stored: immutable. Ring nodes have no {@code ttl}, {@code lastHeartbeat} or {@code expiresAt}.
 *
 * @param nodeId the node id
 * @param source how the node entered the registry
 * @param topics the topics it serves, sorted, no duplicates
 * @param endpoint its ZeroMQ receiver, {@code tcp://host:port}, or {@code null} for a broker-only node
 * @param transports what it receives on
 * @param publicKey its CURVE public key (Z85), or {@code null}
 * @param stats what the node last reported (traffic counts per transport), never {@code null}; stores keep stats apart
 *        ({@link StatsStore}) and hold records with none
 * @param ttl its time to live, {@code null} for ring nodes
 * @param registeredAt when it (last) registered or was imported
 * @param lastHeartbeat its last registration or heartbeat, {@code null} for ring nodes
 * @param expiresAt when it drops out unless it heartbeats, {@code null} for ring nodes
 */
public record NodeRecord(String nodeId, NodeSource source, List<String> topics, String endpoint,
                         List<Transport> transports, String publicKey, Map<String, Object> stats, Duration ttl,
                         Instant registeredAt, Instant lastHeartbeat, Instant expiresAt) {

    public NodeRecord {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(registeredAt, "registeredAt");
        topics = List.copyOf(new TreeSet<>(topics));
        transports = List.copyOf(transports);
        // JSON stats may hold nulls, which Map.copyOf refuses
        stats = stats == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stats));
        if (source == NodeSource.REGISTERED && (ttl == null || lastHeartbeat == null || expiresAt == null)) {
            throw new IllegalArgumentException("a registered node needs ttl, lastHeartbeat and expiresAt");
        }
    }

    /** Whether lookups return the node at {@code now}: ring nodes always, registered ones before they expire. */
    public boolean isLive(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    /**
     * Whether {@code other} tells senders the same as this record: topics, endpoint, transports and key. A
     * registration that changes none of them is a renewal and does not move the registry's revision.
     */
    public boolean sameMembership(NodeRecord other) {
        return other != null && source == other.source && topics.equals(other.topics)
                && Objects.equals(endpoint, other.endpoint) && transports.equals(other.transports)
                && Objects.equals(publicKey, other.publicKey);
    }

    /** This record renewed by a heartbeat at {@code now}: its time to live counts again from now. */
    public NodeRecord renewed(Instant now) {
        return new NodeRecord(nodeId, source, topics, endpoint, transports, publicKey, stats, ttl, registeredAt, now,
                now.plus(ttl));
    }

    /** This record with other stats. */
    public NodeRecord withStats(Map<String, Object> newStats) {
        return new NodeRecord(nodeId, source, topics, endpoint, transports, publicKey, newStats, ttl, registeredAt,
                lastHeartbeat, expiresAt);
    }

    /** Whether the node serves the topic. */
    public boolean serves(String topic) {
        return topics.contains(topic);
    }
}
