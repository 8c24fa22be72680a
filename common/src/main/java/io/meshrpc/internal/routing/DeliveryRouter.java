package io.meshrpc.internal.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.metrics.SentOutcome;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.Route;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;
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
 * <li>replies fail over too, to the caller's broker reply queue ({@link ReplyRouter}).
 * </ol>
 * The same message (same id, same bytes) travels every path, so a receiver that got it twice — a
 * late ACK and a failover — handles it once.
 *
 * <p>The router knows transports only through {@link Transport}: a brokerless one that reaches a
 * node at its endpoint and acknowledges, and an optional broker. Each candidate node's policy is
 * resolved once per message, and every attempt on a transport is counted here, in one place.
 */
public final class DeliveryRouter {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRouter.class);

    private final Matchmaker matchmaker;
    private final Transport direct;
    private final Transport broker;
    private final PolicyResolver resolver;
    /** The resolver as a {@link Policies}, made once: the common path allocates nothing for it. */
    private final Policies configured;
    private final PeerHealth health;
    private final RpcMetrics metrics;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    /**
     * @param direct the brokerless transport, which reaches a node at its endpoint and acknowledges
     * @param broker the broker transport, or null when this node has none ({@code amqp} and the
     *               failover of {@code zmq-first} then fail with a clear error)
     */
    public DeliveryRouter(Matchmaker matchmaker, Transport direct, Transport broker, PolicyResolver policies,
                          PeerHealth health, RpcMetrics metrics) {
        this.matchmaker = matchmaker;
        this.direct = direct;
        this.broker = broker;
        this.resolver = policies;
        this.configured = policies::policy;
        this.health = health;
        this.metrics = metrics;
    }

    public PolicyResolver policies() {
        return resolver;
    }

    /** Where one message's policies come from: the resolver, or a policy the caller fixed for it. */
    @FunctionalInterface
    private interface Policies {
        DeliveryPolicy policy(String topic, String nodeId);
    }

    private Policies policiesFor(DeliveryPolicy override) {
        return override == null ? configured : (topic, nodeId) -> override;
    }

    public PeerHealth health() {
        return health;
    }

    /**
     * Delivers a CAST or CALL to one node of the target. Completes with the transport that took it.
     */
    public CompletableFuture<TransportName> deliver(Target target, OutboundMessage message) {
        return deliver(target, message, null);
    }

    /**
     * Delivers a CAST or CALL to one node of the target, by {@code override} instead of the
     * configured policies when it is not null (a prepared call's policy).
     */
    public CompletableFuture<TransportName> deliver(Target target, OutboundMessage message, DeliveryPolicy override) {
        CompletableFuture<TransportName> result = new CompletableFuture<>();
        deliver(target, message, override, DeliveryOutcome.completing(result));
        return result;
    }

    /** The same, reporting to {@code outcome} (on the thread that completes the last attempt). */
    public void deliver(Target target, OutboundMessage message, DeliveryPolicy override, DeliveryOutcome outcome) {
        Policies policies = policiesFor(override);
        if (target.server() == null) {
            toTopic(target.topic(), message, policies, outcome);
            return;
        }
        String server = target.server();
        // the node first: a first look-up of the topic waits for its view, which the policy then comes from
        NodeRef node = matchmaker.node(target.topic(), server).filter(NodeRef::hasZmqEndpoint).orElse(null);
        toNode(target.topic(), server, node, policies.policy(target.topic(), server), message, outcome);
    }

    /**
     * To one node, by its policy.
     *
     * @param node the node as the matchmaker knows it with a ZeroMQ endpoint, or null if it knows none
     */
    private void toNode(String topic, String server, NodeRef node, DeliveryPolicy policy, OutboundMessage message,
                        DeliveryOutcome outcome) {
        Route.ToNode route = new Route.ToNode(topic, node != null ? node : new NodeRef(server, null));
        if (policy == DeliveryPolicy.AMQP) {
            follow(viaBroker(route, message), outcome);
            return;
        }
        if (node == null) {
            if (policy == DeliveryPolicy.ZMQ) {
                follow(noNodes(message, "No ZeroMQ endpoint known for server '" + server + "' of topic '" + topic
                        + "' (policy zmq)"), outcome);
                return;
            }
            follow(failover(topic, "no-endpoint", () -> viaBroker(route, message)), outcome);
            return;
        }
        if (policy == DeliveryPolicy.ZMQ_FIRST && health.skip(server)) {
            follow(failover(topic, "peer-down", () -> viaBroker(route, message)), outcome);
            return;
        }
        viaDirect(route, message, (ok, error) -> {
            if (error == null) {
                outcome.delivered(direct.name());
            } else if (policy == DeliveryPolicy.ZMQ_FIRST && canFailOver(error)) {
                follow(failover(topic, reason(error), () -> viaBroker(route, message)), outcome);
            } else {
                outcome.failed(Failures.unwrap(error));
            }
        });
    }

    private void toTopic(String topic, OutboundMessage message, Policies policies, DeliveryOutcome outcome) {
        List<NodeRef> nodes = withEndpoints(matchmaker.lookup(topic));
        if (nodes.isEmpty()) {
            if (policies.policy(topic, null) == DeliveryPolicy.ZMQ) {
                follow(noNodes(message, "No node serves topic '" + topic
                        + "' (the matchmaker knows none with a ZeroMQ endpoint; policy zmq)"), outcome);
                return;
            }
            follow(viaBroker(new Route.ToTopic(topic), message), outcome);
            return;
        }
        int start = nodes.size() == 1 ? 0 : Math.floorMod(
                roundRobin.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement(), nodes.size());
        DeliveryPolicy first = policies.policy(topic, nodes.get(start).nodeId());
        if (first == DeliveryPolicy.AMQP) {
            follow(viaBroker(new Route.ToTopic(topic), message), outcome);
            return;
        }
        tryNodes(new Candidates(topic, nodes, start), 0, first, false, message, null, outcome, policies);
    }

    /**
     * The nodes of a topic in the order one message tries them: round robin from {@code start},
     * read in place (a topic of 20,000 nodes is not copied for every message).
     */
    private record Candidates(String topic, List<NodeRef> nodes, int start) {
        NodeRef get(int i) {
            return nodes.get((start + i) % nodes.size());
        }

        int size() {
            return nodes.size();
        }
    }

    /**
     * Tries the topic's ZeroMQ nodes in turn, resolving each one's policy as it comes to it (once);
     * when none takes the message, the topic's shared broker queue does, if any node tried allowed
     * it ({@code zmq-first} or {@code amqp}).
     *
     * @param policy the policy of the node at {@code index}, already resolved
     */
    private void tryNodes(Candidates candidates, int index, DeliveryPolicy policy, boolean brokerAllowed,
                          OutboundMessage message, Throwable lastError, DeliveryOutcome outcome,
                          Policies policies) {
        String topic = candidates.topic();
        for (int i = index; i < candidates.size(); i++) {
            NodeRef node = candidates.get(i);
            DeliveryPolicy nodePolicy = i == index ? policy : policies.policy(topic, node.nodeId());
            boolean allowsBroker = brokerAllowed || nodePolicy != DeliveryPolicy.ZMQ;
            if (!nodePolicy.usesZmq() || (nodePolicy == DeliveryPolicy.ZMQ_FIRST && health.skip(node.nodeId()))) {
                brokerAllowed = allowsBroker;
                continue;
            }
            int next = i + 1;
            viaDirect(new Route.ToNode(topic, node), message, (ok, error) -> {
                if (error == null) {
                    outcome.delivered(direct.name());
                } else if (canFailOver(error)) {
                    DeliveryPolicy nextPolicy = next < candidates.size()
                            ? policies.policy(topic, candidates.get(next).nodeId()) : null;
                    tryNodes(candidates, next, nextPolicy, allowsBroker, message, error, outcome, policies);
                } else {
                    outcome.failed(Failures.unwrap(error));
                }
            });
            return;
        }
        if (brokerAllowed) {
            String why = lastError == null ? "peer-down" : reason(lastError);
            follow(failover(topic, why, () -> viaBroker(new Route.ToTopic(topic), message)), outcome);
        } else if (lastError != null) {
            outcome.failed(Failures.unwrap(lastError));
        } else {
            outcome.failed(new NoRouteException(Reason.NO_NODES, "No node of topic '"
                    + topic + "' is reachable over ZeroMQ"));
        }
    }

    /**
     * Delivers a fanout to every node of the topic, each by its own policy. More nodes than
     * {@code meshrpc.zmq.max-peers} is fine: the ZeroMQ transport holds the sends it has no
     * connection for until one is freed, so the fanout goes out in waves and each node's
     * {@code zmq-first} fallback still waits for that node's own ACK timeout, not for a slot.
     */
    public CompletableFuture<Void> fanout(String topic, OutboundMessage message) {
        return fanout(topic, message, null);
    }

    /** A fanout by {@code override} instead of the configured policies when it is not null. */
    public CompletableFuture<Void> fanout(String topic, OutboundMessage message, DeliveryPolicy override) {
        Policies policies = policiesFor(override);
        List<NodeRef> nodes = matchmaker.lookup(topic);
        if (nodes.isEmpty()) {
            if (policies.policy(topic, null) == DeliveryPolicy.ZMQ) {
                return noNodes(message, "No node serves topic '" + topic + "' for a fanout");
            }
            return viaBroker(new Route.Fanout(topic), message).thenApply(t -> null);
        }
        DeliveryPolicy[] resolved = new DeliveryPolicy[nodes.size()];
        boolean allBroker = true;
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = policies.policy(topic, nodes.get(i).nodeId());
            allBroker &= resolved[i] == DeliveryPolicy.AMQP;
        }
        if (allBroker) {
            return viaBroker(new Route.Fanout(topic), message).thenApply(t -> null);
        }
        List<CompletableFuture<TransportName>> sends = new ArrayList<>(nodes.size());
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < resolved.length; i++) {
            NodeRef node = nodes.get(i);
            NodeRef reachable = node.hasZmqEndpoint() ? node : null;
            CompletableFuture<TransportName> sent = new CompletableFuture<>();
            toNode(topic, node.nodeId(), reachable, resolved[i], message, DeliveryOutcome.completing(sent));
            sends.add(sent.exceptionally(error -> {
                failed.add(node.nodeId() + ": " + Failures.unwrap(error).getMessage());
                return null;
            }));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenRun(() -> {
            if (!failed.isEmpty()) {
                throw new NoRouteException(Reason.NOT_ACKNOWLEDGED, "Fanout " + topic + "." + message.header().method()
                        + " reached " + (nodes.size() - failed.size()) + " of " + nodes.size() + " nodes; failed: "
                        + failed);
            }
        });
    }

    // ---------------------------------------------------------------- the two paths

    /**
     * Over the brokerless transport; the ACK, or its absence, also says whether the peer is up. The
     * transport tells one listener, on the I/O thread that learns the outcome, which counts the
     * attempt, marks the peer and runs {@code then}: no future between the transport and the caller's
     * (every cast passes here, and each future and stage is objects made on the caller's thread and
     * touched on the I/O thread). What a future's stage would have caught is caught here: nothing
     * {@code then} throws reaches the transport's loop.
     */
    private void viaDirect(Route.ToNode route, OutboundMessage message, BiConsumer<Void, Throwable> then) {
        String nodeId = route.node().nodeId();
        direct.send(route, message, failure -> {
            try {
                counted(direct, route, message, failure);
                if (failure == null) {
                    health.markUp(nodeId);
                } else if (Failures.unwrap(failure) instanceof NoRouteException nre
                        && nre.reason() == Reason.NOT_ACKNOWLEDGED) {
                    health.markDown(nodeId);
                }
                then.accept(null, failure);
            } catch (RuntimeException ex) {
                log.error("Delivering the outcome of a send to {} failed", nodeId, ex);
            }
        });
    }

    /** To one node's broker queue, the topic's shared one, or its fanout exchange. */
    private CompletableFuture<TransportName> viaBroker(Route route, OutboundMessage message) {
        if (broker == null) {
            Envelope header = message.header();
            return failed(message, new NoRouteException(Reason.TRANSPORT_UNAVAILABLE,
                    "The broker transport is not enabled on this node (meshrpc.amqp.enabled=false); cannot send "
                            + header.topic() + "." + header.method() + " through the broker"));
        }
        return broker.send(route, message).whenComplete((ok, error) -> counted(broker, route, message, error))
                .thenApply(ok -> broker.name());
    }

    /**
     * Every attempt on a transport is counted here, as the transport reports it (in its listener, or
     * a completion stage of its own future) and before the rest of the router learns it: whoever sees
     * a send done sees it counted.
     */
    private void counted(Transport transport, Route route, OutboundMessage message, Throwable error) {
        metrics.sent(transport.name(), message.header().kind(), route.topic(), outcome(error));
    }

    private CompletableFuture<TransportName> failover(String topic, String reason,
                                                      Supplier<CompletableFuture<TransportName>> next) {
        metrics.failover(topic, reason);
        return next.get();
    }

    // ---------------------------------------------------------------- helpers

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

    private static void follow(CompletableFuture<TransportName> source, DeliveryOutcome outcome) {
        source.whenComplete((transport, error) -> {
            if (error == null) {
                outcome.delivered(transport);
            } else {
                outcome.failed(Failures.unwrap(error));
            }
        });
    }

    private <T> CompletableFuture<T> noNodes(OutboundMessage message, String why) {
        return failed(message, new NoRouteException(Reason.NO_NODES, why));
    }

    private <T> CompletableFuture<T> failed(OutboundMessage message, NoRouteException error) {
        metrics.unsent(message.header().kind(), message.header().topic(), SentOutcome.ERROR);
        return CompletableFuture.failedFuture(error);
    }
}
