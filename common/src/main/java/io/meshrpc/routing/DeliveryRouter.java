package io.meshrpc.routing;

import java.util.ArrayList;
import java.util.Collections;
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
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.metrics.SentOutcome;
import io.meshrpc.transport.amqp.AmqpTransport;
import io.meshrpc.transport.zmq.ZmqTransport;
import io.meshrpc.wire.Envelope;

/**
 * Chooses the path of every message — ZeroMQ to a node, or the broker — by the delivery policy of
 * its target, and fails over when the first path does not take it.
 *
 * <p>Built against the five flaws of the dual ZeroMQ/broker backend of the operator's talk
 * (docs/architecture.md):
 * <ol>
 * <li>a fanout goes to every node of the topic, each decided on its own, not to the first host;
 * <li>no probe per message: the ACK is the probe, and a peer that missed one is skipped
 *     ({@link PeerHealth}) until real traffic finds it answering again;
 * <li>a topic target whose node does not answer is tried on the topic's next node before the broker;
 * <li>nothing is lost silently: every failure ends in the broker or in the caller's future;
 * <li>replies fail over too (in the receiving transports, through
 *     {@link io.meshrpc.transport.ReplyFallback}).
 * </ol>
 * The same envelope (same id) travels every path, so a receiver that got it twice — a late ACK and
 * a failover — handles it once.
 */
public final class DeliveryRouter {

    private final Matchmaker matchmaker;
    private final ZmqTransport zmq;
    private final AmqpTransport amqp;
    private final PolicyResolver policies;
    private final PeerHealth health;
    private final RpcMetrics metrics;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    /**
     * @param amqp the broker transport, or null when this node has none ({@code amqp} and the
     *             failover of {@code zmq-first} then fail with a clear error)
     */
    public DeliveryRouter(Matchmaker matchmaker, ZmqTransport zmq, AmqpTransport amqp, PolicyResolver policies,
                          PeerHealth health, RpcMetrics metrics) {
        this.matchmaker = matchmaker;
        this.zmq = zmq;
        this.amqp = amqp;
        this.policies = policies;
        this.health = health;
        this.metrics = metrics;
    }

    public PolicyResolver policies() {
        return policies;
    }

    public PeerHealth health() {
        return health;
    }

    /**
     * Delivers a CAST or CALL to one node of the target. Completes with the name of the transport
     * that accepted it.
     */
    public CompletableFuture<String> deliver(Target target, Envelope envelope, byte[] frame, long replyDeadline) {
        return target.server() != null
                ? toNode(target, envelope, frame, replyDeadline)
                : toTopic(target, envelope, frame, replyDeadline);
    }

    private CompletableFuture<String> toNode(Target target, Envelope envelope, byte[] frame, long replyDeadline) {
        String server = target.server();
        // the node first: a first look-up of the topic waits for its view, which the policy then comes from
        NodeRef node = matchmaker.node(target.topic(), server).filter(NodeRef::hasZmqEndpoint).orElse(null);
        DeliveryPolicy policy = policies.policy(target.topic(), server);
        if (policy == DeliveryPolicy.AMQP) {
            return viaBroker(envelope, server, frame);
        }
        if (node == null) {
            if (policy == DeliveryPolicy.ZMQ) {
                return noNodes(envelope, "No ZeroMQ endpoint known for " + describe(target) + " (policy zmq)");
            }
            return failover(envelope, "no-endpoint", () -> viaBroker(envelope, server, frame));
        }
        if (policy == DeliveryPolicy.ZMQ_FIRST && health.skip(server)) {
            return failover(envelope, "peer-down", () -> viaBroker(envelope, server, frame));
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        viaZmq(node, envelope, frame, replyDeadline).whenComplete((ok, error) -> {
            if (error == null) {
                result.complete(ZmqTransport.NAME);
            } else if (policy == DeliveryPolicy.ZMQ_FIRST && canFailOver(error)) {
                follow(failover(envelope, reason(error), () -> viaBroker(envelope, server, frame)), result);
            } else {
                result.completeExceptionally(Failures.unwrap(error));
            }
        });
        return result;
    }

    private CompletableFuture<String> toTopic(Target target, Envelope envelope, byte[] frame, long replyDeadline) {
        List<NodeRef> nodes = rotated(target.topic());
        if (nodes.isEmpty()) {
            DeliveryPolicy policy = policies.policy(target.topic(), null);
            if (policy == DeliveryPolicy.ZMQ) {
                return noNodes(envelope, "No node serves " + describe(target)
                        + " (the matchmaker knows none with a ZeroMQ endpoint; policy zmq)");
            }
            return viaBroker(envelope, null, frame);
        }
        if (policies.policy(target.topic(), nodes.get(0).nodeId()) == DeliveryPolicy.AMQP) {
            return viaBroker(envelope, null, frame);
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        tryNodes(nodes, 0, false, envelope, frame, replyDeadline, null, result);
        return result;
    }

    /**
     * Tries the topic's ZeroMQ nodes in turn; when none takes the message, the topic's shared broker
     * queue does, if any node tried allowed it ({@code zmq-first} or {@code amqp}).
     */
    private void tryNodes(List<NodeRef> nodes, int index, boolean brokerAllowed, Envelope envelope, byte[] frame,
                          long replyDeadline, Throwable lastError, CompletableFuture<String> result) {
        for (int i = index; i < nodes.size(); i++) {
            NodeRef node = nodes.get(i);
            DeliveryPolicy policy = policies.policy(envelope.topic(), node.nodeId());
            boolean allowsBroker = brokerAllowed || policy != DeliveryPolicy.ZMQ;
            if (!policy.usesZmq() || (policy == DeliveryPolicy.ZMQ_FIRST && health.skip(node.nodeId()))) {
                brokerAllowed = allowsBroker;
                continue;
            }
            int next = i + 1;
            viaZmq(node, envelope, frame, replyDeadline).whenComplete((ok, error) -> {
                if (error == null) {
                    result.complete(ZmqTransport.NAME);
                } else if (canFailOver(error)) {
                    tryNodes(nodes, next, allowsBroker, envelope, frame, replyDeadline, error, result);
                } else {
                    result.completeExceptionally(Failures.unwrap(error));
                }
            });
            return;
        }
        if (brokerAllowed) {
            String why = lastError == null ? "peer-down" : reason(lastError);
            follow(failover(envelope, why, () -> viaBroker(envelope, null, frame)), result);
        } else if (lastError != null) {
            result.completeExceptionally(Failures.unwrap(lastError));
        } else {
            result.completeExceptionally(new NoRouteException(Reason.NO_NODES, "No node of topic '"
                    + envelope.topic() + "' is reachable over ZeroMQ"));
        }
    }

    /**
     * Delivers a fanout to every node of the topic, each by its own policy. More nodes than
     * {@code meshrpc.zmq.max-peers} is fine: the ZeroMQ transport holds the sends it has no
     * connection for until one is freed, so the fanout goes out in waves and each node's
     * {@code zmq-first} fallback still waits for that node's own ACK timeout, not for a slot.
     */
    public CompletableFuture<Void> fanout(String topic, Envelope envelope, byte[] frame) {
        List<NodeRef> nodes = matchmaker.lookup(topic);
        if (nodes.isEmpty() || allBroker(topic, nodes)) {
            if (nodes.isEmpty() && policies.policy(topic, null) == DeliveryPolicy.ZMQ) {
                return noNodes(envelope, "No node serves topic '" + topic + "' for a fanout").thenApply(t -> null);
            }
            return brokerFanout(envelope, frame).thenApply(t -> null);
        }
        List<CompletableFuture<String>> sends = new ArrayList<>(nodes.size());
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        for (NodeRef node : nodes) {
            sends.add(toNode(Target.topic(topic).server(node.nodeId()), envelope, frame, 0).exceptionally(error -> {
                failed.add(node.nodeId() + ": " + Failures.unwrap(error).getMessage());
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

    private boolean allBroker(String topic, List<NodeRef> nodes) {
        for (NodeRef node : nodes) {
            if (policies.policy(topic, node.nodeId()) != DeliveryPolicy.AMQP) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- the two paths

    private CompletableFuture<Void> viaZmq(NodeRef node, Envelope envelope, byte[] frame, long replyDeadline) {
        return zmq.send(node.nodeId(), node.endpoint(), node.publicKey(), envelope.id(), frame, replyDeadline)
                .whenComplete((ok, error) -> {
                    metrics.sent(ZmqTransport.NAME, envelope.kind().name(), envelope.topic(), outcome(error));
                    if (error == null) {
                        health.markUp(node.nodeId());
                    } else if (Failures.unwrap(error) instanceof NoRouteException nre
                            && nre.reason() == Reason.NOT_ACKNOWLEDGED) {
                        health.markDown(node.nodeId());
                    }
                });
    }

    /** To one node's broker queue ({@code server} set) or the topic's shared one. */
    private CompletableFuture<String> viaBroker(Envelope envelope, String server, byte[] frame) {
        if (amqp == null) {
            return failed(envelope, new NoRouteException(Reason.TRANSPORT_UNAVAILABLE,
                    "The broker transport is not enabled on this node (meshrpc.amqp.enabled=false); cannot send "
                            + envelope.topic() + "." + envelope.method() + " through the broker"));
        }
        return amqp.send(envelope, server, false, frame).thenApply(ok -> AmqpTransport.NAME);
    }

    private CompletableFuture<String> brokerFanout(Envelope envelope, byte[] frame) {
        if (amqp == null) {
            return viaBroker(envelope, null, frame);
        }
        return amqp.send(envelope, null, true, frame).thenApply(ok -> AmqpTransport.NAME);
    }

    private CompletableFuture<String> failover(Envelope envelope, String reason,
                                               java.util.function.Supplier<CompletableFuture<String>> next) {
        metrics.failover(envelope.topic(), reason);
        return next.get();
    }

    // ---------------------------------------------------------------- helpers

    private List<NodeRef> rotated(String topic) {
        List<NodeRef> nodes = withEndpoints(matchmaker.lookup(topic));
        if (nodes.size() <= 1) {
            return nodes;
        }
        int start = Math.floorMod(roundRobin.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement(),
                nodes.size());
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

    /** Whether another path may still take a message whose ZeroMQ attempt failed this way. */
    private static boolean canFailOver(Throwable error) {
        return Failures.unwrap(error) instanceof NoRouteException;
    }

    private static String reason(Throwable error) {
        if (Failures.unwrap(error) instanceof NoRouteException nre) {
            return switch (nre.reason()) {
                case NOT_ACKNOWLEDGED -> "no-ack";
                case REFUSED -> "refused";
                case PEER_QUEUE_FULL, TOO_MANY_PEERS, NO_FREE_CONNECTION, TOO_MANY_IN_FLIGHT -> "peer-busy";
                case TRANSPORT_UNAVAILABLE -> "zmq-unavailable";
                case NO_NODES -> "no-endpoint";
            };
        }
        return "error";
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

    private static void follow(CompletableFuture<String> source, CompletableFuture<String> target) {
        source.whenComplete((transport, error) -> {
            if (error == null) {
                target.complete(transport);
            } else {
                target.completeExceptionally(Failures.unwrap(error));
            }
        });
    }

    private <T> CompletableFuture<T> noNodes(Envelope envelope, String message) {
        return failed(envelope, new NoRouteException(Reason.NO_NODES, message));
    }

    private <T> CompletableFuture<T> failed(Envelope envelope, NoRouteException error) {
        metrics.sent("none", envelope.kind().name(), envelope.topic(), SentOutcome.ERROR);
        return CompletableFuture.failedFuture(error);
    }

    private static String describe(Target target) {
        return target.server() == null ? "topic '" + target.topic() + "'"
                : "server '" + target.server() + "' of topic '" + target.topic() + "'";
    }
}
