package io.meshrpc.transport.inprocess;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.ReplyQueue;
import io.meshrpc.transport.Route;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;

/**
 * One node's transport on an {@link InProcessNetwork}: either its direct path, which stands in for
 * ZeroMQ (reaches a node, answers with its ACK or refusal), or its broker path, which stands in for
 * AMQP (queues, confirms). It carries the name of the transport it stands in for, so that meters,
 * routing and the actuator read the same as with real sockets.
 *
 * <p>Frames are decoded by the receiving node's codec, as off a socket: what is tested here is what
 * travels on the wire. Everything runs on the sender's thread; the dispatcher's workers still run
 * the handlers, and nothing is sent after {@link #close()}.
 */
public final class InProcessTransport implements Transport, ReplyQueue {

    /** The endpoint scheme of a direct in-process transport, registered with the matchmaker. */
    public static final String SCHEME = "inproc://";

    private final String nodeId;
    private final TransportName name;
    private final InProcessNetwork network;
    private final EnvelopeCodec codec;
    private volatile Inbound inbound;
    private volatile boolean running;

    private InProcessTransport(String nodeId, TransportName name, InProcessNetwork network, EnvelopeCodec codec) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.name = name;
        this.network = Objects.requireNonNull(network, "network");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The direct path of {@code nodeId}, in place of ZeroMQ. */
    public static InProcessTransport direct(String nodeId, InProcessNetwork network, EnvelopeCodec codec) {
        return new InProcessTransport(nodeId, TransportName.ZMQ, network, codec);
    }

    /** The broker path of {@code nodeId}, in place of AMQP. */
    public static InProcessTransport broker(String nodeId, InProcessNetwork network, EnvelopeCodec codec) {
        return new InProcessTransport(nodeId, TransportName.AMQP, network, codec);
    }

    @Override
    public TransportName name() {
        return name;
    }

    String nodeId() {
        return nodeId;
    }

    /** Where other nodes reach the direct path, {@code inproc://<node id>}. */
    public String endpoint() {
        return SCHEME + nodeId;
    }

    @Override
    public synchronized void start(Inbound handlers, Set<String> topics) {
        if (running) {
            return;
        }
        this.inbound = Objects.requireNonNull(handlers, "inbound");
        running = true;
        if (name == TransportName.ZMQ) {
            network.joinDirect(this);
        } else {
            network.joinBroker(this, topics);
        }
    }

    @Override
    public CompletableFuture<Void> send(Route route, OutboundMessage message) {
        if (!running) {
            return CompletableFuture.failedFuture(new NoRouteException(Reason.TRANSPORT_UNAVAILABLE,
                    "The in-process transport of node " + nodeId + " is stopped"));
        }
        if (name == TransportName.AMQP) {
            return network.sendToBroker(route, message);
        }
        if (!(route instanceof Route.ToNode toNode) || !toNode.node().hasZmqEndpoint()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "The direct path reaches a node at its endpoint only, not " + route));
        }
        String target = toNode.node().nodeId();
        Acceptance answer = network.sendDirect(nodeId, target, message);
        if (answer == null) {
            return CompletableFuture.failedFuture(new NoRouteException(Reason.NOT_ACKNOWLEDGED,
                    "No ACK from " + target + " (in-process network: gone or cut off)"));
        }
        if (!answer.acknowledged()) {
            return CompletableFuture.failedFuture(new NoRouteException(Reason.REFUSED, target
                    + " refused the message: " + answer.errorType() + ": " + answer.description()));
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A request arriving at this node: decoded, then offered to the dispatcher. The direct path carries
     * the binary encoding, as ZeroMQ batch frames do (JSON for a request that names a namespace or a
     * version, as there); the broker path JSON, as the broker does.
     */
    Acceptance receive(byte[] frame) {
        Inbound handlers = inbound;
        if (!running) {
            return null;
        }
        Envelope request;
        try {
            request = decode(frame);
        } catch (WireFormatException ex) {
            handlers.requests().rejected(name, ex.getMessage());
            return Acceptance.ACCEPTED;
        }
        if (request.kind().answersACall()) {
            handlers.requests().rejected(name, request.kind() + " sent as a request");
            return Acceptance.ACCEPTED;
        }
        return handlers.requests().accept(request, name, reply -> replyTo(request.replyTo(), reply));
    }

    /** A reply arriving at this node, for one of its calls. */
    void receiveReply(byte[] encoded) {
        Inbound handlers = inbound;
        if (!running) {
            return;
        }
        try {
            handlers.replies().reply(decode(encoded), name);
        } catch (WireFormatException ex) {
            handlers.requests().rejected(name, ex.getMessage());
        }
    }

    /** Back the way the call came: the caller's direct path, or its reply queue on the broker. */
    private Envelope decode(byte[] frame) {
        boolean json = frame.length > 0 && frame[0] == '{'; // a binary envelope starts with its kind, 1 to 3
        return json ? codec.decode(frame) : codec.decodeBinary(frame, 0, frame.length);
    }

    private CompletableFuture<Void> replyTo(String caller, EncodedEnvelope reply) {
        boolean sent = caller != null && running && (name == TransportName.ZMQ
                ? network.replyDirect(caller, reply.binary()) : network.replyViaBroker(caller, reply.json()));
        return sent ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new NoRouteException(Reason.TRANSPORT_UNAVAILABLE,
                        "no " + name + " path from " + nodeId + " back to " + caller));
    }

    /** The broker path reaches any node's reply queue; the direct path reaches none by id. */
    @Override
    public CompletableFuture<Void> sendReply(String callerNodeId, EncodedEnvelope reply) {
        if (name == TransportName.ZMQ) {
            return CompletableFuture.failedFuture(new IllegalStateException("the direct path has no reply queues"));
        }
        return replyTo(callerNodeId, reply);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * The broker path stops consuming (its queues hold what comes next); the direct path goes on
     * receiving, and the draining dispatcher refuses, as with ZeroMQ.
     */
    @Override
    public void stopReceiving() {
        if (name == TransportName.AMQP) {
            network.leaveBroker(this);
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        stopReceiving();
        running = false;
        if (name == TransportName.ZMQ) {
            network.leaveDirect(this);
        }
    }
}
