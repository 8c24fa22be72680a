package io.meshrpc.matchmaker;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.protocol.Member;
import io.meshrpc.matchmaker.protocol.TopicState;

/**
 * What a node knows of one topic it watches, as of a registry revision: its live members (sorted by id, the
 * order look-ups answer in) and its policy overrides. Immutable: an answer makes a new one.
 *
 * <p>Policies arrive as wire names and are read here, once per answer, not once per message.
 *
 * @param revision     the registry revision this view reflects
 * @param policy       the topic's override, or {@code null} for none
 * @param members      node id to its current record
 * @param nodes        the members as senders see them, in id order (made by {@link #of})
 * @param nodePolicies node id to its own override, for the members that have one (made by {@link #of})
 */
record TopicView(long revision, DeliveryPolicy policy, Map<String, Member> members, List<NodeRef> nodes,
                 Map<String, DeliveryPolicy> nodePolicies) {

    private static final Logger log = LoggerFactory.getLogger(TopicView.class);

    /**
     * A view of these members; {@code nodes} and {@code nodePolicies} are derived once here, as look-ups are on
     * the send path.
     *
     * @param policy the topic's override as the service sent it, or {@code null}
     */
    static TopicView of(long revision, String policy, Map<String, Member> members) {
        Map<String, Member> sorted = Collections.unmodifiableMap(new TreeMap<>(members));
        Map<String, DeliveryPolicy> nodePolicies = new TreeMap<>();
        sorted.values().forEach(m -> {
            DeliveryPolicy own = read(m.policy());
            if (own != null) {
                nodePolicies.put(m.nodeId(), own);
            }
        });
        return new TopicView(revision, read(policy), sorted, sorted.values().stream().map(TopicView::ref).toList(),
                Collections.unmodifiableMap(nodePolicies));
    }

    /** A snapshot: the complete list of members. */
    static TopicView snapshot(long revision, TopicState state) {
        Map<String, Member> members = new TreeMap<>();
        state.set().forEach(m -> members.put(m.nodeId(), m));
        return of(revision, state.policy(), members);
    }

    /**
     * This view moved to {@code newRevision}, with {@code delta} applied: members that joined or changed, members
     * that left, the policy now. A {@code null} delta: nothing changed on this topic up to that revision.
     */
    TopicView apply(long newRevision, TopicState delta) {
        if (delta == null) {
            return new TopicView(newRevision, policy, members, nodes, nodePolicies);
        }
        Map<String, Member> next = new TreeMap<>(members);
        delta.removed().forEach(next::remove);
        delta.set().forEach(m -> next.put(m.nodeId(), m));
        return of(newRevision, delta.policy(), next);
    }

    Optional<NodeRef> node(String nodeId) {
        Member m = members.get(nodeId);
        return m == null ? Optional.empty() : Optional.of(ref(m));
    }

    /** The service's precedence: the node's own override, else the topic's. */
    Optional<DeliveryPolicy> policyFor(String nodeId) {
        DeliveryPolicy own = nodeId == null ? null : nodePolicies.get(nodeId);
        return Optional.ofNullable(own != null ? own : policy);
    }

    /**
     * A policy's wire name as the service sent it ({@link DeliveryPolicy#of}: case and {@code _} tolerated), or
     * {@code null} for none. A name this node does not know counts as no override, with a warning: the service
     * stores known names only, so that is a newer or foreign service.
     */
    private static DeliveryPolicy read(String wireName) {
        if (wireName == null) {
            return null;
        }
        try {
            return DeliveryPolicy.of(wireName);
        } catch (IllegalArgumentException ex) {
            log.warn("Matchmaker sent an unknown delivery policy, ignored: {}", ex.getMessage());
            return null;
        }
    }

    private static NodeRef ref(Member m) {
        return new NodeRef(m.nodeId(), m.endpoint(), m.publicKey());
    }
}
