package io.meshrpc.internal.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.ReplyChannel;
import io.meshrpc.transport.RequestHandler;
import io.meshrpc.transport.TransportName;
import io.meshrpc.transport.inprocess.InProcessNetwork;
import io.meshrpc.transport.inprocess.InProcessTransport;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A sender's router and receiving nodes joined by the in-process transport: the routing matrix
 * without sockets or a broker. Each receiver records what reached it and over which transport, and
 * can be told to refuse on the direct path.
 */
final class InProcessFleet implements AutoCloseable {

    static final String TOPIC = "compute";

    final InProcessNetwork network = new InProcessNetwork();
    final EnvelopeCodec codec = new EnvelopeCodec(MeshNode.defaultMapper(), 1 << 20);
    final CountingDirectory directory = new CountingDirectory();
    final RpcMetrics metrics = new RpcMetrics(new SimpleMeterRegistry());
    final PeerHealth health = new PeerHealth(Duration.ofHours(1));
    private final List<InProcessTransport> transports = new ArrayList<>();
    private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** A node of {@link #TOPIC} with a direct path (registered with its endpoint) and a broker path. */
    Receiver node(String nodeId) {
        Receiver receiver = new Receiver();
        receivers.put(nodeId, receiver);
        Inbound inbound = new Inbound(receiver, (reply, transport) -> { });
        InProcessTransport direct = start(InProcessTransport.direct(nodeId, network, codec), inbound);
        start(InProcessTransport.broker(nodeId, network, codec), inbound);
        directory.register(new NodeRef(nodeId, direct.endpoint()), Set.of(TOPIC));
        return receiver;
    }

    /** A node of {@link #TOPIC} the matchmaker knows without a ZeroMQ endpoint: the broker reaches it only. */
    Receiver brokerOnlyNode(String nodeId) {
        Receiver receiver = new Receiver();
        receivers.put(nodeId, receiver);
        start(InProcessTransport.broker(nodeId, network, codec), new Inbound(receiver, (reply, transport) -> { }));
        directory.register(new NodeRef(nodeId, null), Set.of(TOPIC));
        return receiver;
    }

    /** The sender's router, by {@code defaultPolicy}, with or without a broker path. */
    DeliveryRouter router(DeliveryPolicy defaultPolicy, boolean withBroker) {
        return router(new PolicyResolver(defaultPolicy, Map.of(), directory), withBroker);
    }

    DeliveryRouter router(PolicyResolver policies, boolean withBroker) {
        Inbound ignore = new Inbound(new Receiver(), (reply, transport) -> { });
        // the sender serves no topic: it consumes no queue of the receivers'
        InProcessTransport direct = start(InProcessTransport.direct("sender", network, codec), ignore, Set.of());
        InProcessTransport broker = withBroker
                ? start(InProcessTransport.broker("sender", network, codec), ignore, Set.of()) : null;
        return new DeliveryRouter(directory, direct, broker, policies, health, metrics);
    }

    private InProcessTransport start(InProcessTransport transport, Inbound inbound) {
        return start(transport, inbound, Set.of(TOPIC));
    }

    private InProcessTransport start(InProcessTransport transport, Inbound inbound, Set<String> topics) {
        transport.start(inbound, topics);
        transports.add(transport);
        return transport;
    }

    /** A fresh CAST to {@link #TOPIC}, encoded as the client would. */
    OutboundMessage cast(String server) {
        Envelope header = Envelope.request("m-" + ids.incrementAndGet(), Kind.CAST, TOPIC, server, false,
                "build", null, Map.of(), null, 0, "sender");
        return new OutboundMessage(codec.encodeRequest(header, new Object[] {"vm1"}));
    }

    double sent(TransportName transport, String outcome) {
        return metrics.count(RpcMetrics.SENT, "transport", transport.tag(), "outcome", outcome);
    }

    double unsent() {
        return metrics.count(RpcMetrics.SENT, "transport", RpcMetrics.NO_TRANSPORT);
    }

    double failovers(String reason) {
        return metrics.count(RpcMetrics.FAILOVERS, "reason", reason);
    }

    @Override
    public void close() {
        transports.forEach(InProcessTransport::close);
    }

    /** What reached one node, in order, as (message id, transport). */
    static final class Receiver implements RequestHandler {
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<TransportName> via = new CopyOnWriteArrayList<>();
        volatile Acceptance directAnswer = Acceptance.ACCEPTED;

        @Override
        public Acceptance accept(Envelope request, TransportName transport, ReplyChannel replyChannel) {
            if (transport == TransportName.ZMQ && !directAnswer.acknowledged()) {
                return directAnswer;
            }
            received.add(request.id());
            via.add(transport);
            return Acceptance.ACCEPTED;
        }

        @Override
        public void rejected(TransportName transport, String reason) {
            throw new AssertionError("a frame the router sent could not be read: " + reason);
        }
    }

    /** An in-memory directory that counts how often the router asks it for a policy. */
    static final class CountingDirectory implements Matchmaker {
        private final InMemoryMatchmaker nodes = new InMemoryMatchmaker();
        private final Map<String, DeliveryPolicy> nodePolicies = new ConcurrentHashMap<>();
        final AtomicInteger policyLookups = new AtomicInteger();

        void policy(String nodeId, DeliveryPolicy policy) {
            nodePolicies.put(nodeId, policy);
        }

        @Override
        public List<NodeRef> lookup(String topic) {
            return nodes.lookup(topic);
        }

        @Override
        public Optional<NodeRef> node(String nodeId) {
            return nodes.node(nodeId);
        }

        @Override
        public void register(NodeRef node, Set<String> topics) {
            nodes.register(node, topics);
        }

        @Override
        public void deregister(String nodeId) {
            nodes.deregister(nodeId);
        }

        @Override
        public Optional<DeliveryPolicy> policy(String nodeId, String topic) {
            policyLookups.incrementAndGet();
            return nodeId == null ? Optional.empty() : Optional.ofNullable(nodePolicies.get(nodeId));
        }
    }
}
