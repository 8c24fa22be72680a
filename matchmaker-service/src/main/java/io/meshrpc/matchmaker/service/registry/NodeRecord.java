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
 * @param stats what the node reported with its last heartbeat (traffic counts per transport), never {@code null}
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

    /** Whether the node serves the topic. */
    public boolean serves(String topic) {
        return topics.contains(topic);
    }
}
