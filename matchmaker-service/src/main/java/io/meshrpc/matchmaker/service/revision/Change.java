package io.meshrpc.matchmaker.service.revision;

import java.util.Set;

/**
 * One change of membership or policy, as the revision history keeps it: which topics it touched and which nodes.
 * It holds no state: a watcher is answered with the current records of these nodes, so that an answer is right
 * however many later changes it overtakes.
 *
 * @param revision the registry revision this change produced
 * @param nodeIds the nodes that joined, left, changed or had their own policy changed; empty for a topic's policy
 * @param topics every topic the change touched (a node's topics before and after, or the topic of a policy)
 */
public record Change(long revision, Set<String> nodeIds, Set<String> topics) {

    public Change {
        nodeIds = Set.copyOf(nodeIds);
        topics = Set.copyOf(topics);
    }

    /** Whether the change touched one of {@code watched}. */
    public boolean touchesAny(Set<String> watched) {
        for (String topic : topics) {
            if (watched.contains(topic)) {
                return true;
            }
        }
        return false;
    }
}
