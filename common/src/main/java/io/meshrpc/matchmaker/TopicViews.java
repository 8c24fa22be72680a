package io.meshrpc.matchmaker;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.protocol.TopicState;
import io.meshrpc.matchmaker.protocol.WatchAnswer;

/**
 * The view a node routes by: one {@link TopicView} per watched topic, each at its own revision. Watch answers
 * are applied here (on the HTTP client's threads), look-ups read it (on senders' threads) without a lock: the
 * view is replaced whole, never changed in place.
 */
final class TopicViews {

    private static final TopicState NOTHING = new TopicState(null, null, null);

    /**
     * The topics and, made from them when an answer is applied, every member by node id: a look-up by id is one
     * hash read instead of a walk over every watched topic (ten times slower at 500 topics). One object behind
     * one volatile, so a reader never sees the index of one answer with the topics of another.
     */
    private record Snapshot(Map<String, TopicView> topics, Map<String, NodeRef> byId) {

        static Snapshot of(Map<String, TopicView> topics) {
            Map<String, NodeRef> byId = new HashMap<>();
            for (TopicView view : topics.values()) {
                for (NodeRef node : view.nodes()) {
                    byId.putIfAbsent(node.nodeId(), node); // a node's record is the same in each of its topics
                }
            }
            return new Snapshot(Map.copyOf(topics), Map.copyOf(byId));
        }
    }

    private volatile Snapshot view = new Snapshot(Map.of(), Map.of());
    /** First look-ups waiting for a topic's first snapshot. */
    private final Map<String, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();

    /**
     * Applies a watch answer to the topics that watch asked for, each only if the answer is newer than what is
     * held for it: an abandoned, slower watch cannot take a topic back to an older state.
     *
     * @param asked        the topics the watch named
     * @param replaceNewer a snapshot replaces what is held even when it is older: the service went back in time
     *                     (a Redis failover lost its last writes), and its word is all there is
     */
    synchronized void apply(WatchAnswer answer, Collection<String> asked, boolean replaceNewer) {
        Map<String, TopicView> next = new HashMap<>(view.topics());
        for (String topic : asked) {
            TopicView held = next.get(topic);
            TopicState state = answer.topics().get(topic);
            if (answer.fullSnapshot()) {
                if (held == null || answer.revision() > held.revision() || replaceNewer) {
                    next.put(topic, TopicView.snapshot(answer.revision(), state == null ? NOTHING : state));
                }
            } else if (held != null && answer.revision() > held.revision()) {
                next.put(topic, held.apply(answer.revision(), state));
            }
            // a delta for a topic without a snapshot has nothing to apply to; that watch asked with a revision
            // only after its snapshot, so this is an abandoned watch's late answer
        }
        view = Snapshot.of(next);
        for (String topic : asked) {
            CompletableFuture<Void> waiting = next.containsKey(topic) ? awaited.remove(topic) : null;
            if (waiting != null) {
                waiting.complete(null);
            }
        }
    }

    boolean holds(String topic) {
        return view.topics().containsKey(topic);
    }

    /**
     * Waits until a snapshot of {@code topic} is held, at most {@code timeout}.
     *
     * @return whether it is held
     */
    boolean awaitSnapshot(String topic, Duration timeout) {
        CompletableFuture<Void> snapshot = awaited.computeIfAbsent(topic, t -> new CompletableFuture<>());
        if (holds(topic)) { // applied before the future was there to complete
            awaited.remove(topic, snapshot);
            return true;
        }
        try {
            snapshot.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException ex) {
            return holds(topic);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return holds(topic);
        }
    }

    List<NodeRef> lookup(String topic) {
        TopicView held = view.topics().get(topic);
        return held == null ? List.of() : held.nodes();
    }

    Optional<NodeRef> node(String topic, String nodeId) {
        TopicView held = view.topics().get(topic);
        return held == null ? Optional.empty() : held.node(nodeId);
    }

    /** A node by id from any watched topic. */
    Optional<NodeRef> node(String nodeId) {
        return Optional.ofNullable(view.byId().get(nodeId));
    }

    Optional<DeliveryPolicy> policy(String nodeId, String topic) {
        TopicView held = view.topics().get(topic);
        return held == null ? Optional.empty() : held.policyFor(nodeId);
    }

    /** The overrides this view holds: of the watched topics, and of their members. */
    Matchmaker.PolicyOverrides overrides() {
        Map<String, DeliveryPolicy> nodes = new TreeMap<>();
        Map<String, DeliveryPolicy> topicPolicies = new TreeMap<>();
        view.topics().forEach((topic, held) -> {
            if (held.policy() != null) {
                topicPolicies.put(topic, held.policy());
            }
            nodes.putAll(held.nodePolicies());
        });
        return new Matchmaker.PolicyOverrides(Map.copyOf(nodes), Map.copyOf(topicPolicies));
    }

    /** Topic to the revision held for it. */
    Map<String, Long> revisions() {
        Map<String, Long> out = new TreeMap<>();
        view.topics().forEach((topic, held) -> out.put(topic, held.revision()));
        return Collections.unmodifiableMap(out);
    }
}
