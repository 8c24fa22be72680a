package io.meshrpc.matchmaker;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.meshrpc.matchmaker.protocol.Member;
import io.meshrpc.matchmaker.protocol.TopicState;

/**
 * What a node knows of one topic it watches, as of a registry revision: its live members (sorted by id, the
 * order look-ups answer in) and its policy override. Immutable: an answer makes a new one.
 *
 * @param revision the registry revision this view reflects
 * @param policy   the topic's override, or {@code null} for none
 * @param members  node id to its current record
 * @param nodes    the members as senders see them, in id order (made by {@link #of})
 */
record TopicView(long revision, String policy, Map<String, Member> members, List<NodeRef> nodes) {

    /** A view of these members; {@code nodes} is derived once here, as look-ups are on the send path. */
    static TopicView of(long revision, String policy, Map<String, Member> members) {
        Map<String, Member> sorted = Collections.unmodifiableMap(new TreeMap<>(members));
        return new TopicView(revision, policy, sorted, sorted.values().stream().map(TopicView::ref).toList());
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
            return new TopicView(newRevision, policy, members, nodes);
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
    Optional<String> policyFor(String nodeId) {
        Member m = nodeId == null ? null : members.get(nodeId);
        return Optional.ofNullable(m != null && m.policy() != null ? m.policy() : policy);
    }

    private static NodeRef ref(Member m) {
        return new NodeRef(m.nodeId(), m.endpoint(), m.publicKey());
    }
}
