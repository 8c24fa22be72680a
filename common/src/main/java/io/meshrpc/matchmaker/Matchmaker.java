package io.meshrpc.matchmaker;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * The directory senders consult: which nodes serve a topic, and where each one listens.
 *
 * <p>Look-ups are on the send path, so implementations answer from memory (a file read at start,
 * properties, or a cache of the matchmaker service) and never block on the network. Registration
 * is how a node announces itself; directories that are fixed by configuration ignore it.
 */
public interface Matchmaker {

    /** The live nodes of {@code topic}, in a stable order; empty if none. */
    List<NodeRef> lookup(String topic);

    /** One node by id, whatever its topics. */
    Optional<NodeRef> node(String nodeId);

    /**
     * One node of {@code topic} by id, for a message to that node on that topic. Directories that watch only the
     * topics a node uses take it as a use of the topic; the others answer {@link #node(String)}.
     */
    default Optional<NodeRef> node(String topic, String nodeId) {
        return node(nodeId);
    }

    /** Announces that {@code node} serves {@code topics}. */
    default void register(NodeRef node, Set<String> topics) {
    }

    /**
     * Announces a node with its transports and live traffic counts; directories that show neither
     * take the node and topics only.
     */
    default void register(Registration registration) {
        register(registration.node(), registration.topics());
    }

    /** Withdraws {@code nodeId}, on graceful shutdown. */
    default void deregister(String nodeId) {
    }

    /**
     * The delivery policy an operator set in the directory for messages on {@code topic} to
     * {@code nodeId}; empty when it sets none. {@code nodeId} is null for a topic target before a
     * node is chosen. On the send path, for every message: implementations answer a value read
     * beforehand, not text to parse.
     */
    default Optional<DeliveryPolicy> policy(String nodeId, String topic) {
        return Optional.empty();
    }

    /**
     * Whether the directory holds this node's registration now. Directories held in memory or fixed
     * by configuration take it as {@link #register} returns; a remote one says whether its service
     * accepted the registration or a heartbeat within the registration's TTL: past that the service
     * has expired the node, and senders that refresh their view no longer find it.
     */
    default boolean isRegistered() {
        return true;
    }

    /**
     * The policy overrides the directory holds, per node and per topic, for the actuator endpoint;
     * empty for directories without any.
     */
    default PolicyOverrides policyOverrides() {
        return PolicyOverrides.NONE;
    }

    /** Policy overrides set in the directory: node id or topic to policy. */
    record PolicyOverrides(java.util.Map<String, DeliveryPolicy> nodes,
                           java.util.Map<String, DeliveryPolicy> topics) {
        public static final PolicyOverrides NONE = new PolicyOverrides(java.util.Map.of(), java.util.Map.of());
    }

    /**
     * How old the view served by look-ups is, for directories that cache a remote one; empty for
     * directories that are their own source of truth.
     */
    default java.util.Optional<java.time.Duration> cacheAge() {
        return java.util.Optional.empty();
    }

    /**
     * The registry revision the view holds for each topic it watches, for directories that watch a remote
     * registry: a change the service answered with revision R is in force here for a topic once its revision is
     * R or more. Empty for the others.
     */
    default java.util.Map<String, Long> viewRevisions() {
        return java.util.Map.of();
    }
}
