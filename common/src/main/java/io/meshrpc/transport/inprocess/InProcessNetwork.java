package io.meshrpc.transport.inprocess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.Route;

/**
 * The nodes of one JVM joined by {@link InProcessTransport}s, and the faults between them.
 *
 * <p>Direct sends are handed to the receiving node's inbound on the sender's thread and answered
 * with its acceptance, as a ZeroMQ receiver ACKs or refuses. The broker half keeps the queues of
 * the AMQP topology: one per node and topic once the node consumed, one shared per topic (which
 * holds messages while no node consumes it, as a declared durable queue does), and a fanout to
 * every node of a topic. A broker send completes once the message is queued, as a publisher
 * confirm does, whatever the consumer then makes of it.
 */
public final class InProcessNetwork {

    private final Map<String, InProcessTransport> direct = new ConcurrentHashMap<>();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final Broker broker = new Broker();
    private volatile boolean brokerUp = true;

    /** Sends to {@code nodeId} over the direct path get no ACK (a silent partition) until {@link #heal}. */
    public void cut(String nodeId) {
        cut.add(nodeId);
    }

    public void heal(String nodeId) {
        cut.remove(nodeId);
    }

    /** The broker is unreachable: every broker send fails at once until {@link #brokerUp()}. */
    public void brokerDown() {
        brokerUp = false;
    }

    public void brokerUp() {
        brokerUp = true;
    }

    // ---------------------------------------------------------------- used by the transports

    void joinDirect(InProcessTransport transport) {
        direct.put(transport.nodeId(), transport);
    }

    void leaveDirect(InProcessTransport transport) {
        direct.remove(transport.nodeId(), transport);
    }

    void joinBroker(InProcessTransport transport, Set<String> topics) {
        broker.join(transport, topics);
    }

    void leaveBroker(InProcessTransport transport) {
        broker.leave(transport);
    }

    /** A direct send: the receiver's acceptance, or no ACK when it is gone or cut off. */
    Acceptance sendDirect(String from, String to, OutboundMessage message) {
        InProcessTransport receiver = direct.get(to);
        if (receiver == null || cut.contains(to) || cut.contains(from)) {
            return null;
        }
        byte[] binary = message.envelope().binary();
        return receiver.receive(binary != null ? binary : message.envelope().json());
    }

    /** A reply on the direct path; false when the caller cannot be reached that way. */
    boolean replyDirect(String caller, byte[] encoded) {
        InProcessTransport receiver = direct.get(caller);
        if (receiver == null || cut.contains(caller)) {
            return false;
        }
        receiver.receiveReply(encoded);
        return true;
    }

    CompletableFuture<Void> sendToBroker(Route route, OutboundMessage message) {
        if (!brokerUp) {
            return CompletableFuture.failedFuture(new NoRouteException(Reason.TRANSPORT_UNAVAILABLE,
                    "the in-process broker is down; " + route + " not sent"));
        }
        return broker.publish(route, message.envelope().json());
    }

    boolean replyViaBroker(String caller, byte[] encoded) {
        return brokerUp && broker.reply(caller, encoded);
    }

    /** Queues by name, with the consumers attached to each; one lock, as a broker is one process. */
    private static final class Broker {
        private final Map<String, Deque<byte[]>> backlogs = new HashMap<>();
        private final Map<String, List<InProcessTransport>> consumers = new HashMap<>();
        private final Map<String, Set<String>> topicsByNode = new HashMap<>();
        private final Map<String, InProcessTransport> byNode = new HashMap<>();
        private final Map<String, Integer> next = new HashMap<>();

        synchronized void join(InProcessTransport transport, Set<String> topics) {
            byNode.put(transport.nodeId(), transport);
            topicsByNode.put(transport.nodeId(), Set.copyOf(topics));
            for (String topic : topics) {
                attach(nodeQueue(topic, transport.nodeId()), transport);
                attach(topicQueue(topic), transport);
            }
        }

        synchronized void leave(InProcessTransport transport) {
            byNode.remove(transport.nodeId(), transport);
            consumers.values().forEach(list -> list.remove(transport));
        }

        private void attach(String queue, InProcessTransport transport) {
            backlogs.computeIfAbsent(queue, q -> new ArrayDeque<>());
            consumers.computeIfAbsent(queue, q -> new ArrayList<>()).add(transport);
            Deque<byte[]> backlog = backlogs.get(queue);
            while (!backlog.isEmpty()) {
                transport.receive(backlog.poll());
            }
        }

        synchronized CompletableFuture<Void> publish(Route route, byte[] frame) {
            String topic = route.topic();
            if (route instanceof Route.Fanout) {
                topicsByNode.forEach((node, topics) -> {
                    if (topics.contains(topic)) {
                        deliver(nodeQueue(topic, node), frame);
                    }
                });
                return CompletableFuture.completedFuture(null);
            }
            String queue = route instanceof Route.ToNode toNode ? nodeQueue(topic, toNode.node().nodeId())
                    : topicQueue(topic);
            if (route instanceof Route.ToNode && !backlogs.containsKey(queue)) {
                return CompletableFuture.failedFuture(new NoRouteException(Reason.NO_NODES,
                        "the in-process broker has no queue for " + route + " (unroutable)"));
            }
            deliver(queue, frame);
            return CompletableFuture.completedFuture(null);
        }

        private void deliver(String queue, byte[] frame) {
            List<InProcessTransport> attached = consumers.getOrDefault(queue, List.of());
            if (attached.isEmpty()) {
                backlogs.computeIfAbsent(queue, q -> new ArrayDeque<>()).add(frame);
                return;
            }
            int turn = next.merge(queue, 1, Integer::sum);
            attached.get(Math.floorMod(turn, attached.size())).receive(frame);
        }

        synchronized boolean reply(String caller, byte[] encoded) {
            InProcessTransport receiver = byNode.get(caller);
            if (receiver == null) {
                return false;
            }
            receiver.receiveReply(encoded);
            return true;
        }

        private static String nodeQueue(String topic, String node) {
            return "node:" + topic + ":" + node;
        }

        private static String topicQueue(String topic) {
            return "topic:" + topic;
        }
    }
}
