package io.meshrpc.matchmaker.service.registry;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI of the registry. The store keeps records as given, expired or not: deciding liveness is the
 * {@link NodeRegistry}'s job, removing expired records is {@link #removeExpired}'s.
 *
 * <p>Implementations are thread safe. A shared implementation (Redis) must keep every operation atomic per node
 * across replicas: in particular {@link #removeExpired} must hand each expired record to exactly one caller, so that
 * expirations are counted once for the fleet.
 */
public interface NodeStore {

    /** Short name for health and logs, e.g. {@code memory}. */
    String type();

    /** Inserts or replaces the node; returns the record it replaced, expired or not. */
    Optional<NodeRecord> put(NodeRecord node);

    /** The stored record, expired or not. */
    Optional<NodeRecord> get(String nodeId);

    /**
     * Renews a live registered node's time to live from {@code now}, as its heartbeat; returns the renewed record,
     * or empty when there is no live registered node of that id (absent, expired, or from the ring).
     */
    Optional<NodeRecord> renew(String nodeId, Instant now);

    /** Removes the node; returns the removed record, expired or not. */
    Optional<NodeRecord> remove(String nodeId);

    /** Every stored record, in no particular order (a snapshot). */
    Collection<NodeRecord> all();

    /** The stored records serving the topic, in no particular order (a snapshot). */
    Collection<NodeRecord> byTopic(String topic);

    /** Removes every record that is not live at {@code now}; returns the removed records. */
    List<NodeRecord> removeExpired(Instant now);

    /**
     * Replaces the ring nodes with {@code ringNodes} in one step: ring nodes not listed are removed, listed hosts that
     * are registered and live at {@code now} keep their registration, every other listed host is stored as given.
     * Registered nodes not in the ring are not touched.
     */
    RingReplaceResult replaceRing(Collection<NodeRecord> ringNodes, Instant now);
}
