package io.meshrpc.internal.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.meshrpc.api.CallOptions;
import io.meshrpc.api.Priority;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * Which nodes are members of which listener pools, for publishers that send over ZeroMQ.
 *
 * <p>Every node with listener pools serves the topic {@value #TOPIC}, so the matchmaker lists them
 * all there and tells a publisher when one comes or goes, as for any topic it sends to. A pool is
 * not something the matchmaker knows, so the publisher asks each listener node once which pools it
 * is a member of ({@link ListenerPoolsEndpoint}) and keeps the answer while the node stays listed.
 * A node may restart with other pools and still be listed, so an answer is asked for again after
 * {@link #REFRESH_AFTER}, the old one serving until the new one is in (or for good, if the node does
 * not answer: delivery passes over a member that does not acknowledge). A node that never answered
 * is left out, and asked again after {@link #RETRY_AFTER}.
 */
final class ListenerDirectory {

    static final String TOPIC = ListenerPoolsEndpoint.TOPIC;
    /** How long a listener node has to say which pools it is in. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    /** How long a node that did not say is left out before it is asked again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    /** How long a node's answer is kept before it is asked again, while it stays listed. */
    static final Duration REFRESH_AFTER = Duration.ofMinutes(5);

    private static final CallOptions QUERY = CallOptions.NONE.withPolicy(DeliveryPolicy.ZMQ).withTimeout(QUERY_TIMEOUT);

    private final Matchmaker matchmaker;
    private final RpcClient client;
    private final LongSupplier nanoTime;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile List<NodeRef> lastMembers = List.of();

    /**
     * One node's answer: the endpoint it was asked at, what it said (failed when it did not), when it was
     * asked, and what it said before (while a refresh is under way), or null.
     */
    private record Answer(String endpoint, CompletableFuture<ListenerPools> pools, long askedAt,
                          ListenerPools previous) {

        /** What to go by now: the answer once it is in, the previous one while a refresh is under way. */
        CompletableFuture<ListenerPools> current() {
            return previous != null && !pools.isDone() ? CompletableFuture.completedFuture(previous) : pools;
        }
    }

    ListenerDirectory(Matchmaker matchmaker, RpcClient client, LongSupplier nanoTime) {
        this.matchmaker = matchmaker;
        this.client = client;
        this.nanoTime = nanoTime;
    }

    /**
     * The members of each pool of {@code topic} that receives {@code priority}, in the matchmaker's order,
     * once every listed listener node has said which pools it is in (or failed to); a pool without members
     * is not there.
     */
    CompletableFuture<Map<String, List<NodeRef>>> pools(String topic, Priority priority) {
        List<NodeRef> members = membersWithEndpoints();
        List<CompletableFuture<ListenerPools>> asked = new ArrayList<>(members.size());
        for (NodeRef member : members) {
            asked.add(answerOf(member).current().exceptionally(error -> ListenerPools.NONE));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, List<NodeRef>> byPool = new LinkedHashMap<>();
            for (int i = 0; i < members.size(); i++) {
                for (String pool : asked.get(i).join().receiving(topic, priority)) {
                    byPool.computeIfAbsent(pool, p -> new ArrayList<>()).add(members.get(i));
                }
            }
            return byPool;
        });
    }

    /** Forgets what {@code nodeId} said, after it refused an event for a pool it named: it is asked again. */
    void forget(String nodeId) {
        answers.remove(nodeId);
    }

    private List<NodeRef> membersWithEndpoints() {
        List<NodeRef> listed = matchmaker.lookup(TOPIC);
        if (listed != lastMembers) {
            // the list changed (a view keeps its list until a change): forget the nodes no longer in it
            Set<String> ids = new HashSet<>();
            for (NodeRef node : listed) {
                ids.add(node.nodeId());
            }
            answers.keySet().retainAll(ids);
            lastMembers = listed;
        }
        List<NodeRef> members = new ArrayList<>(listed.size());
        for (NodeRef node : listed) {
            if (node.hasZmqEndpoint()) {
                members.add(node);
            }
        }
        return members;
    }

    private Answer answerOf(NodeRef node) {
        return answers.compute(node.nodeId(), (id, known) -> {
            if (known == null || !known.endpoint().equals(node.endpoint())) {
                return ask(node, null);
            }
            if (!known.pools().isDone()) {
                return known;
            }
            if (known.pools().isCompletedExceptionally()) {
                return age(known) > RETRY_AFTER.toNanos() ? ask(node, null) : known;
            }
            return age(known) > REFRESH_AFTER.toNanos() ? ask(node, known.pools().join()) : known;
        });
    }

    private long age(Answer answer) {
        return nanoTime.getAsLong() - answer.askedAt();
    }

    /** Asks {@code node} for its pools; a refresh that fails keeps what it said before. */
    private Answer ask(NodeRef node, ListenerPools previous) {
        CompletableFuture<ListenerPools> pools = client.invoke(Target.topic(TOPIC).server(node.nodeId()), QUERY,
                "pools", ListenerPools.class);
        return new Answer(node.endpoint(), previous == null ? pools : pools.exceptionally(error -> previous),
                nanoTime.getAsLong(), previous);
    }
}
