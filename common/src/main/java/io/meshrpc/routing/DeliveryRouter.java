package io.meshrpc.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.metrics.SentOutcome;
import io.meshrpc.transport.zmq.ZmqTransport;
import io.meshrpc.wire.Envelope;

/**
 * Chooses the node (and, with the broker transport, the path) for each message, and moves on to
 * the next candidate when one does not accept it.
 *
 * <p>Avoids the flaws of the talk's dual backend: no probe per message (the ACK is the probe),
 * a topic target whose chosen node does not answer is tried on the next node of the topic, and a
 * failed send is always reported: the returned future fails with the last reason, never silently.
 */
public final class DeliveryRouter {

    private final Matchmaker matchmaker;
    private final ZmqTransport zmq;
    private final RpcMetrics metrics;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    public DeliveryRouter(Matchmaker matchmaker, ZmqTransport zmq, RpcMetrics metrics) {
        this.matchmaker = matchmaker;
        this.zmq = zmq;
        this.metrics = metrics;
    }

    /**
     * Delivers a CAST or CALL to one node of the target. Completes with the name of the transport
     * that accepted it.
     */
    public CompletableFuture<String> deliver(Target target, Envelope envelope, byte[] frame, long replyDeadline) {
        List<NodeRef> candidates = candidates(target);
        if (candidates.isEmpty()) {
            metrics.sent("none", envelope.kind().name(), target.topic(), SentOutcome.ERROR);
            return CompletableFuture.failedFuture(new NoRouteException(Reason.NO_NODES,
                    "No node serves " + describe(target) + " (matchmaker knows none with a ZeroMQ endpoint)"));
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        attempt(candidates, 0, envelope, frame, replyDeadline, result);
        return result;
    }

    /** Delivers a fanout to every node of the topic, each decided on its own. */
    public CompletableFuture<Void> fanout(String topic, Envelope envelope, byte[] frame) {
        List<NodeRef> nodes = withEndpoints(matchmaker.lookup(topic));
        if (nodes.isEmpty()) {
            metrics.sent("none", envelope.kind().name(), topic, SentOutcome.ERROR);
            return CompletableFuture.failedFuture(new NoRouteException(Reason.NO_NODES,
                    "No node serves topic '" + topic + "' for a fanout"));
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>(nodes.size());
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        for (NodeRef node : nodes) {
            sends.add(sendOnce(node, envelope, frame, 0).exceptionally(error -> {
                failed.add(node.nodeId() + ": " + rootMessage(error));
                return null;
            }));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenRun(() -> {
            if (!failed.isEmpty()) {
                throw new NoRouteException(Reason.NOT_ACKNOWLEDGED, "Fanout " + topic + "." + envelope.method()
                        + " reached " + (nodes.size() - failed.size()) + " of " + nodes.size() + " nodes; failed: "
                        + failed);
            }
        });
    }

    private void attempt(List<NodeRef> candidates, int index, Envelope envelope, byte[] frame, long replyDeadline,
                         CompletableFuture<String> result) {
        NodeRef node = candidates.get(index);
        sendOnce(node, envelope, frame, replyDeadline).whenComplete((ok, error) -> {
            if (error == null) {
                result.complete(ZmqTransport.NAME);
            } else if (index + 1 < candidates.size() && retryable(error)) {
                attempt(candidates, index + 1, envelope, frame, replyDeadline, result);
            } else {
                result.completeExceptionally(Failures.unwrap(error));
            }
        });
    }

    private CompletableFuture<Void> sendOnce(NodeRef node, Envelope envelope, byte[] frame, long replyDeadline) {
        return zmq.send(node.nodeId(), node.endpoint(), envelope.id(), frame, replyDeadline)
                .whenComplete((ok, error) -> metrics.sent(ZmqTransport.NAME, envelope.kind().name(), envelope.topic(),
                        outcome(error)));
    }

    private List<NodeRef> candidates(Target target) {
        if (target.server() != null) {
            return matchmaker.node(target.server()).filter(NodeRef::hasZmqEndpoint).map(List::of).orElse(List.of());
        }
        List<NodeRef> nodes = withEndpoints(matchmaker.lookup(target.topic()));
        if (nodes.size() <= 1) {
            return nodes;
        }
        int start = Math.floorMod(roundRobin.computeIfAbsent(target.topic(), t -> new AtomicInteger())
                .getAndIncrement(), nodes.size());
        List<NodeRef> rotated = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            rotated.add(nodes.get((start + i) % nodes.size()));
        }
        return rotated;
    }

    private static List<NodeRef> withEndpoints(List<NodeRef> nodes) {
        for (NodeRef node : nodes) {
            if (!node.hasZmqEndpoint()) {
                return nodes.stream().filter(NodeRef::hasZmqEndpoint).toList();
            }
        }
        return nodes;
    }

    private static boolean retryable(Throwable error) {
        return Failures.unwrap(error) instanceof NoRouteException nre && nre.reason() != Reason.TRANSPORT_UNAVAILABLE;
    }

    private static SentOutcome outcome(Throwable error) {
        if (error == null) {
            return SentOutcome.OK;
        }
        if (Failures.unwrap(error) instanceof NoRouteException nre) {
            return switch (nre.reason()) {
                case NOT_ACKNOWLEDGED -> SentOutcome.NO_ACK;
                case REFUSED -> SentOutcome.REFUSED;
                default -> SentOutcome.ERROR;
            };
        }
        return SentOutcome.ERROR;
    }


    private static String rootMessage(Throwable error) {
        return Failures.unwrap(error).getMessage();
    }

    private static String describe(Target target) {
        return target.server() == null ? "topic '" + target.topic() + "'"
                : "server '" + target.server() + "' of topic '" + target.topic() + "'";
    }
}
