package io.meshrpc.matchmaker.service.watch;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.protocol.Member;
import io.meshrpc.matchmaker.protocol.TopicState;
import io.meshrpc.matchmaker.protocol.WatchAnswer;
import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.matchmaker.service.registry.Transport;
import io.meshrpc.matchmaker.service.revision.Change;
import io.meshrpc.matchmaker.service.revision.ChangeHistory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the JSON answers of watches from the current records. The revision of an answer is read before the
 * records, so the records are at least as new as the revision says: a client that is told revision R has seen
 * every change up to R on its topics.
 *
 * <p>One {@link Batch} answers every watcher woken by one change, or one round of timeouts: watchers that hold
 * the same revision and are owed the same topics get the same bytes, encoded once. After a change to one topic
 * the thousand watchers of that topic are owed the same few hundred bytes, whatever else each one watches.
 */
public final class WatchAnswers {

    private final ChangeHistory history;
    private final NodeRegistry registry;
    private final PolicyService policies;
    private final JsonMapper json;
    /** Each topic's last encoded state and the revision read before it; bounded by the number of topics. */
    private final Map<String, EncodedTopic> topicSnapshots = new ConcurrentHashMap<>();

    public WatchAnswers(ChangeHistory history, NodeRegistry registry, PolicyService policies, JsonMapper json) {
        this.history = history;
        this.registry = registry;
        this.policies = policies;
        this.json = json;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** A topic's state as JSON, read at {@code revision} or later. */
    private record EncodedTopic(long revision, byte[] json) {
    }

    /** An answer's bytes and what it holds. */
    record Owed(byte[] json, WatchMetrics.Kind kind) {
    }

    /** A new batch, at the current revision. */
    Batch batch() {
        return new Batch(history.current());
    }

    /** The answers of one round, sharing encoded bodies. Used by one thread. */
    final class Batch {

        private final long revision;
        private final Map<String, byte[]> encoded = new HashMap<>();
        private final Map<String, Optional<NodeRecord>> members = new HashMap<>();
        private final Map<String, String> topicPolicies = new HashMap<>();
        private Map<String, DeliveryPolicy> nodePolicies;

        private Batch(long revision) {
            this.revision = revision;
        }

        /** Whether a client holding {@code since} on {@code topics} is owed an answer now: cheap, no store read. */
        boolean owesNow(Set<String> topics, Optional<Long> since) {
            return since.isEmpty() || history.after(since.get(), topics).map(changes -> !changes.isEmpty()).orElse(true);
        }

        /**
         * The answer owed to a client holding {@code since} (empty: nothing yet) on {@code topics}: a snapshot when
         * its revision is unknown, the changes after it, or "unchanged"; empty when there is nothing to say yet
         * and the client should keep waiting.
         */
        Optional<Owed> owed(Set<String> topics, Optional<Long> since, boolean answerUnchanged) {
            if (since.isEmpty() || !history.knows(since.get())) {
                return Optional.of(new Owed(snapshot(topics), WatchMetrics.Kind.SNAPSHOT));
            }
            List<Change> changes = history.after(since.get(), topics).orElse(List.of());
            if (changes.isEmpty()) {
                return answerUnchanged ? Optional.of(new Owed(unchanged(), WatchMetrics.Kind.UNCHANGED))
                        : Optional.empty();
            }
            return Optional.of(new Owed(delta(since.get(), topics, changes), WatchMetrics.Kind.DELTA));
        }

        private byte[] unchanged() {
            return encoded.computeIfAbsent("", k -> json.writeValueAsBytes(new WatchAnswer(revision, null, null)));
        }

        /**
         * A snapshot, put together from each topic's encoded members: a fleet that resyncs at once (the service
         * restarted) asks for thousands of different topic sets, but only for a few dozen topics.
         */
        private byte[] snapshot(Set<String> topics) {
            Set<String> sorted = new TreeSet<>(topics);
            return encoded.computeIfAbsent("full|" + sorted, k -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(256);
                out.writeBytes(("{\"revision\":" + revision + ",\"full\":true,\"topics\":{").getBytes(UTF_8));
                boolean first = true;
                for (String topic : sorted) { // topic names need no escaping: [a-z0-9_.-]
                    out.writeBytes(((first ? "\"" : ",\"") + topic + "\":").getBytes(UTF_8));
                    out.writeBytes(topicSnapshot(topic));
                    first = false;
                }
                out.writeBytes("}}".getBytes(UTF_8));
                return out.toByteArray();
            });
        }

        /** One topic's state, encoded, reused for as long as no change touched the topic. */
        private byte[] topicSnapshot(String topic) {
            EncodedTopic cached = topicSnapshots.get(topic);
            if (cached != null && history.after(cached.revision(), Set.of(topic))
                    .map(List::isEmpty).orElse(false)) {
                return cached.json();
            }
            List<Member> set = new ArrayList<>();
            for (NodeRecord node : registry.live(topic)) {
                set.add(member(node));
            }
            byte[] encodedTopic = json.writeValueAsBytes(new TopicState(emptyToNull(topicPolicy(topic)), set, null));
            topicSnapshots.put(topic, new EncodedTopic(revision, encodedTopic));
            return encodedTopic;
        }

        private byte[] delta(long since, Set<String> topics, List<Change> changes) {
            Map<String, Set<String>> nodesByTopic = new TreeMap<>();
            for (Change change : changes) {
                for (String topic : change.topics()) {
                    if (topics.contains(topic)) {
                        nodesByTopic.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(change.nodeIds());
                    }
                }
            }
            return encoded.computeIfAbsent(since + "|" + nodesByTopic, k -> {
                Map<String, TopicState> states = new TreeMap<>();
                nodesByTopic.forEach((topic, nodeIds) -> states.put(topic, topicDelta(topic, nodeIds)));
                return json.writeValueAsBytes(new WatchAnswer(revision, null, states));
            });
        }

        private TopicState topicDelta(String topic, Set<String> nodeIds) {
            List<Member> set = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (String nodeId : nodeIds) {
                Optional<NodeRecord> node = members.computeIfAbsent(nodeId, registry::member);
                if (node.isPresent() && node.get().serves(topic)) {
                    set.add(member(node.get()));
                } else {
                    removed.add(nodeId);
                }
            }
            return new TopicState(emptyToNull(topicPolicy(topic)), set, removed);
        }

        private Member member(NodeRecord node) {
            List<String> transports = new ArrayList<>(node.transports().size());
            for (Transport transport : new LinkedHashSet<>(node.transports())) {
                transports.add(transport.wireName());
            }
            if (nodePolicies == null) { // one read of the node overrides per batch, not one per member
                nodePolicies = policies.all(PolicyScope.NODE);
            }
            DeliveryPolicy policy = nodePolicies.get(node.nodeId());
            return new Member(node.nodeId(), node.endpoint(), transports, node.publicKey(),
                    policy == null ? null : policy.wireName());
        }

        private String topicPolicy(String topic) {
            return topicPolicies.computeIfAbsent(topic, t ->
                    policies.get(PolicyScope.TOPIC, t).map(DeliveryPolicy::wireName).orElse(""));
        }
    }
}
