package io.meshrpc.transport.zmq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.SendListener;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;

/**
 * The sending half of the transport, run by the I/O thread: one DEALER per peer, the messages
 * waiting for their ACK on each, ACK timeouts, and the bound on connections (least recently used
 * idle ones are closed first).
 *
 * <p>A send to a peer without a connection while all {@code max-peers} are busy waits in
 * {@link WaitingSends} until one is freed (its ACKs back, no reply due on it), which is then closed
 * and opened to the waiting peer: a fanout wider than {@code max-peers} goes out in waves, over
 * ZeroMQ, never holding more sockets than allowed.
 */
final class ZmqSender {

    private static final Logger log = LoggerFactory.getLogger(ZmqSender.class);
    private static final int MAX_READS = 256;

    private final ZmqSettings settings;
    private final ZContext context;
    private final ZmqSelector selector;
    private final EnvelopeCodec codec;
    private final Inbound handler;
    private final LinkedHashMap<String, ZmqPeer> peers = new LinkedHashMap<>(16, 0.75f, true);
    private final WaitingSends waiting;
    private final int batchBytes;
    /**
     * Endpoints whose connection sends batch frames, read by callers' threads: a message to any other
     * gets its JSON encoding made on the caller's thread, so the I/O thread never makes one.
     */
    private final Set<String> batching = ConcurrentHashMap.newKeySet();
    /** Connections with a batch frame to send at the end of this round. */
    private final List<ZmqPeer> batched = new ArrayList<>();
    /** Why the last socket could not be created, until one is again; null while they can be. */
    private String openFailure;
    private volatile int connected;
    private volatile int connectedHighWater;

    ZmqSender(ZmqSettings settings, ZContext context, ZmqSelector selector, EnvelopeCodec codec, Inbound handler) {
        this.settings = settings;
        this.context = context;
        this.selector = selector;
        this.codec = codec;
        this.handler = handler;
        // As many sends may wait for a connection as may wait for ACKs on one: a bound operators
        // already size for memory, and wide enough for a fanout to that many nodes beyond max-peers.
        this.waiting = new WaitingSends(settings.maxPendingPerPeer());
        this.batchBytes = BatchFrame.limit(codec.maxMessageBytes());
    }

    /** Whether the connection to {@code endpoint} sends batch frames now; read from any thread. */
    boolean batches(String endpoint) {
        return batching.contains(endpoint);
    }

    /** Connections held now; read from any thread (a gauge). */
    int connected() {
        return connected;
    }

    /** The most connections held at once since start; read from any thread. */
    int connectedHighWater() {
        return connectedHighWater;
    }

    /** Whether timers are due every round: messages wait for an ACK, or sends for a connection. */
    boolean busy() {
        if (!waiting.isEmpty()) {
            return true;
        }
        for (ZmqPeer peer : peers.values()) {
            if (!peer.pending.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    void send(String peerNodeId, String peerEndpoint, String peerKey, EncodedEnvelope envelope, long replyDeadline,
              SendListener acked) {
        Outgoing message = new Outgoing(peerNodeId, peerEndpoint, peerKey, envelope, replyDeadline, acked);
        ZmqPeer peer = peers.get(peerEndpoint);
        if (peer != null) {
            transmit(peer, message);
        } else if (settings.curve() != null && !CurveKeys.isKey(peerKey)) {
            acked.sent(new NoRouteException(Reason.NO_NODES, "No CURVE public key known for "
                    + message.describePeer() + "; with meshrpc.zmq.curve.enabled=true the matchmaker "
                    + "must publish each receiver's key"));
        } else {
            awaitConnection(message);
        }
    }

    /**
     * Sends on the calling thread, which holds the sockets' lock, to a peer that has a connection and
     * whose sends do not wait for one; the message leaves now, alone.
     *
     * @return false when it must go through the I/O thread instead
     */
    boolean sendNow(NodeRef to, EncodedEnvelope envelope, long replyDeadline, SendListener acked) {
        ZmqPeer peer = peers.get(to.endpoint());
        if (peer == null || !waiting.isEmpty()) {
            return false;
        }
        transmit(peer, new Outgoing(to.nodeId(), to.endpoint(), to.publicKey(), envelope, replyDeadline, acked));
        flush();
        return true;
    }

    /**
     * A send to a peer without a connection joins the queue for one. It goes out at once when it is
     * alone there and a connection is free; when others wait, none is (every freed connection is
     * handed to the queue straight away), so it just takes its turn.
     */
    private void awaitConnection(Outgoing message) {
        if (waiting.full()) {
            message.acked().sent(new NoRouteException(Reason.NO_FREE_CONNECTION,
                    "Cannot send to " + message.describePeer() + ": all " + settings.maxPeers()
                            + " connections (meshrpc.zmq.max-peers) are busy and " + waiting.size()
                            + " sends wait for one already (at most meshrpc.zmq.max-pending-per-peer="
                            + waiting.capacity() + " may wait)"));
            return;
        }
        boolean othersWaiting = !waiting.isEmpty();
        waiting.add(message, System.nanoTime());
        if (!othersWaiting) {
            admitWaiting();
        }
    }

    /**
     * Opens connections for the longest-waiting peers while there is room or a connection can be
     * freed. A peer whose socket cannot be created now keeps its place; the next timer round tries
     * again.
     */
    private void admitWaiting() {
        while (!waiting.isEmpty() && (peers.size() < settings.maxPeers() || evictOne())) {
            ZmqPeer peer = open(waiting.first());
            if (peer == null) {
                return;
            }
            for (Outgoing send : waiting.removeFirstPeer()) {
                transmit(peer, send);
            }
            waiting.progressed(System.nanoTime());
        }
    }

    /**
     * Hands connections freed by time (a reply deadline passed, an ACK timeout or the idle timeout
     * closed one) to waiting sends, and fails every waiting send once no connection could be handed
     * to them for an ACK timeout: the connections are then held by calls awaiting replies or by
     * steady traffic, and a send would otherwise wait for as long as they last.
     */
    void serveWaiting(long now) {
        admitWaiting();
        if (waiting.stalled(now, settings.ackTimeout().toNanos())) {
            int stuck = waiting.size();
            log.info("No connection freed for {} ms while {} send(s) waited for one (all {} busy); they fail",
                    settings.ackTimeout().toMillis(), stuck, settings.maxPeers());
            for (Outgoing send : waiting.drain()) {
                send.acked().sent(new NoRouteException(Reason.NO_FREE_CONNECTION, "Cannot send to "
                        + send.describePeer() + ": none of the " + settings.maxPeers() + " connections "
                        + "(meshrpc.zmq.max-peers) was freed within " + settings.ackTimeout().toMillis()
                        + " ms (meshrpc.zmq.ack-timeout) while " + stuck + " sends waited for one"
                        + (openFailure == null ? "" : "; the last socket could not be created: " + openFailure)));
            }
        }
    }

    private void transmit(ZmqPeer peer, Outgoing message) {
        if (peer.pending.size() >= settings.maxPendingPerPeer()) {
            message.acked().sent(queueFull(peer));
            return;
        }
        long now = System.nanoTime();
        PendingAck pending = new PendingAck(message.id(), now, message.call(), message.acked());
        if (peer.batch != null) {
            addToBatch(peer, message.envelope(), pending);
        } else if (!sendOne(peer, message)) {
            return;
        }
        peer.lastActivityNanos = now;
        if (message.call()) {
            peer.awaitingReplies++;
            peer.latestReplyDeadlineMillis = Math.max(peer.latestReplyDeadlineMillis, message.replyDeadline());
        }
        peer.pending.put(message.id(), pending);
    }

    /**
     * Sends one JSON envelope as its own ZeroMQ message (format 1): on a new connection until the
     * receiver has answered in batch frames, and for good to a receiver that does not read them.
     */
    private boolean sendOne(ZmqPeer peer, Outgoing message) {
        if (!peer.socket.send(message.envelope().json(), ZMQ.DONTWAIT)) {
            message.acked().sent(queueFull(peer));
            return false;
        }
        // The send may have taken the signal of ACKs that arrived meanwhile: read them next round.
        selector.mark(peer.key);
        return true;
    }

    /**
     * Queues an envelope for the peer's next batch frame, which goes out at the end of this round of
     * the I/O loop ({@link #flush()}), or now if the envelope would not fit: whatever other threads
     * handed over meanwhile leaves as one ZeroMQ message.
     */
    private void addToBatch(ZmqPeer peer, EncodedEnvelope envelope, PendingAck pending) {
        byte[] binary = envelope.binary();
        byte[] frame = binary != null ? binary : envelope.json(); // JSON made when encoded, not here
        if (peer.batch.full(frame.length, batchBytes)) {
            sendBatch(peer);
        }
        if (binary != null) {
            peer.batch.binaryEnvelope(frame);
        } else {
            peer.batch.envelope(frame);
        }
        peer.inBatch.add(pending);
        if (!peer.batchQueued) {
            peer.batchQueued = true;
            batched.add(peer);
        }
    }

    /** Sends every batch frame queued in this round of the I/O loop. */
    void flush() {
        for (int i = 0; i < batched.size(); i++) {
            ZmqPeer peer = batched.get(i);
            peer.batchQueued = false;
            if (peer.batch != null && !peer.batch.isEmpty()) {
                sendBatch(peer);
            }
        }
        batched.clear();
    }

    /** A batch the socket will not take (its queue is full) fails message by message, as single sends do. */
    private void sendBatch(ZmqPeer peer) {
        if (peer.socket.send(peer.batch.buffer(), 0, peer.batch.size(), ZMQ.DONTWAIT)) {
            selector.mark(peer.key);
        } else {
            NoRouteException full = queueFull(peer);
            for (PendingAck pending : peer.inBatch) {
                peer.pending.remove(pending.id());
                if (pending.call()) {
                    peer.replyArrived();
                }
                pending.acked().sent(full);
            }
        }
        peer.batch.clear();
        peer.inBatch.clear();
    }

    private NoRouteException queueFull(ZmqPeer peer) {
        return new NoRouteException(Reason.PEER_QUEUE_FULL, peer.pending.size() + " messages to " + peer.nodeId
                + " (" + peer.endpoint + ") wait for an ACK already (meshrpc.zmq.max-pending-per-peer="
                + settings.maxPendingPerPeer() + ")");
    }

    /**
     * Opens a connection to the peer of {@code message}; the caller made room for it. Null when JeroMQ
     * cannot create a socket now: out of context slots, which it frees only once its reaper has
     * finished with the sockets closed before (expected when a wave of closes runs ahead of it, see
     * {@code ZmqTransport}), or out of file descriptors.
     */
    private ZmqPeer open(Outgoing message) {
        ZMQ.Socket socket;
        try {
            socket = context.createSocket(SocketType.DEALER);
        } catch (RuntimeException ex) {
            if (openFailure == null) {
                log.debug("Cannot create a socket to {} now; its sends wait: {}", message.describePeer(),
                        ex.toString());
            }
            openFailure = ex.toString();
            return null;
        }
        openFailure = null;
        socket.setLinger(0);
        socket.setSndHWM(settings.maxPendingPerPeer() + 64);
        socket.setRcvHWM(100_000);
        socket.setHandshakeIvl((int) settings.handshakeInterval().toMillis());
        socket.setReconnectIVL(100);
        socket.setReconnectIVLMax(5_000);
        if (settings.frameFormat() >= 2) {
            // Announces that this end reads batch frames; the receiver then answers in them.
            socket.setIdentity(ZmqFrames.routingId(settings.frameFormat()));
        }
        ZmqSockets.applyLimits(socket, settings, codec.maxMessageBytes());
        if (settings.curve() != null) {
            socket.setCurveServerKey(org.zeromq.ZMQ.Curve.z85Decode(message.peerKey()));
            socket.setCurvePublicKey(settings.curve().keys().publicKeyBytes());
            socket.setCurveSecretKey(settings.curve().keys().secretKeyBytes());
        }
        socket.connect(message.peerEndpoint());
        ZmqPeer peer = new ZmqPeer(message.peerEndpoint(), message.peerNodeId(), socket, System.nanoTime());
        peers.put(peer.endpoint, peer);
        peer.key = selector.register(socket, () -> read(peer));
        connected = peers.size();
        connectedHighWater = Math.max(connectedHighWater, connected);
        return peer;
    }

    private boolean evictOne() {
        long nowMillis = System.currentTimeMillis();
        for (ZmqPeer candidate : peers.values()) {
            if (candidate.closable(nowMillis)) {
                close(candidate);
                return true;
            }
        }
        return false;
    }

    private void close(ZmqPeer peer) {
        // Whatever an unsent batch held is still pending, and fails with the rest (callers make sure).
        if (peer.batch != null) {
            peer.batch.clear();
            peer.inBatch.clear();
        }
        peers.remove(peer.endpoint);
        batching.remove(peer.endpoint);
        peer.key.cancel();
        context.destroySocket(peer.socket);
        connected = peers.size();
    }

    /**
     * Reads ACKs, NACKs and replies that arrived on one peer's DEALER. When that leaves the
     * connection owing nothing while sends wait for one, it is the one to hand on, now rather than at
     * the next timer round: that is what keeps a wide fanout's waves back to back.
     *
     * @return whether anything was read (then the DEALER is read again next round)
     */
    private boolean read(ZmqPeer peer) {
        boolean more = readBatch(peer);
        if (!waiting.isEmpty() && peer.closable(System.currentTimeMillis())) {
            admitWaiting();
        }
        return more;
    }

    private boolean readBatch(ZmqPeer peer) {
        for (int n = 0; n < MAX_READS; n++) {
            byte[] command = peer.socket.recv(ZMQ.DONTWAIT);
            if (command == null) {
                return n > 0;
            }
            List<byte[]> body = new ArrayList<>(4);
            while (peer.socket.hasReceiveMore()) {
                body.add(peer.socket.recv(0));
            }
            peer.lastActivityNanos = System.nanoTime();
            if (settings.frameFormat() >= 2 && body.isEmpty() && BatchFrameReader.isBatch(command)) {
                onBatch(peer, command);
            } else {
                onMessage(peer, command, body);
            }
        }
        return true;
    }

    private void onMessage(ZmqPeer peer, byte[] command, List<byte[]> body) {
        if (ZmqFrames.is(command, ZmqFrames.ACK) && !body.isEmpty()) {
            peer.lastAckNanos = peer.lastActivityNanos;
            for (byte[] id : body) {
                acknowledged(peer, ZmqFrames.utf8(id));
            }
        } else if (ZmqFrames.is(command, ZmqFrames.NACK) && body.size() == 2) {
            refused(peer, ZmqFrames.utf8(body.get(0)), ZmqFrames.utf8(body.get(1)));
        } else if (ZmqFrames.is(command, ZmqFrames.REPLY) && body.size() == 1) {
            peer.replyArrived();
            onReply(body.get(0), 0, body.get(0).length, false);
        } else {
            handler.requests().rejected(TransportName.ZMQ, "unknown command frame from " + peer.endpoint);
        }
    }

    /**
     * A batch frame of ACKs, NACKs and replies. The first one tells that the receiver reads batch
     * frames too: from then on this connection sends in them.
     */
    private void onBatch(ZmqPeer peer, byte[] frame) {
        if (peer.batch == null) {
            peer.batch = new BatchFrame();
            batching.add(peer.endpoint);
        }
        BatchFrameReader items = new BatchFrameReader(frame);
        try {
            while (items.next()) {
                switch (items.type()) {
                    case BatchFrame.ACK -> {
                        peer.lastAckNanos = peer.lastActivityNanos;
                        acknowledged(peer, items);
                    }
                    case BatchFrame.NACK -> {
                        BatchFrameReader.Nack nack = items.nack();
                        refused(peer, nack.id(), nack.reason());
                    }
                    case BatchFrame.BINARY_ENVELOPE, BatchFrame.ENVELOPE -> {
                        peer.replyArrived();
                        onReply(frame, items.offset(), items.length(), items.type() == BatchFrame.BINARY_ENVELOPE);
                    }
                    default -> handler.requests().rejected(TransportName.ZMQ, "batch item of unknown type '"
                            + (char) items.type() + "' from " + peer.endpoint);
                }
            }
        } catch (WireFormatException ex) {
            handler.requests().rejected(TransportName.ZMQ, ex.getMessage() + " (from " + peer.endpoint + ")");
        }
    }

    /**
     * An ACK item of a batch frame. A receiver ACKs in the order it was sent to, so the ACK is nearly
     * always for the oldest message waiting: that one is compared with the ACK's bytes as they are,
     * and only another id is made a string and looked up (it was, for every ACK, a fifth of the
     * sending I/O thread's time in the cast benchmark with the hashing of the new string).
     */
    private static void acknowledged(ZmqPeer peer, BatchFrameReader ack) {
        PendingAck oldest = peer.oldest();
        if (oldest != null && ack.textIs(oldest.id())) {
            peer.pending.remove(oldest.id());
            oldest.acked().sent(null);
        } else {
            acknowledged(peer, ack.text());
        }
    }

    private static void acknowledged(ZmqPeer peer, String id) {
        PendingAck pending = peer.pending.remove(id);
        if (pending != null) {
            pending.acked().sent(null);
        }
    }

    private static void refused(ZmqPeer peer, String id, String reason) {
        PendingAck pending = peer.pending.remove(id);
        if (pending != null) {
            if (pending.call()) {
                peer.replyArrived();
            }
            pending.acked().sent(new NoRouteException(Reason.REFUSED, peer.nodeId + " ("
                    + peer.endpoint + ") refused the message: " + reason));
        }
    }

    private void onReply(byte[] frame, int offset, int length, boolean binary) {
        Envelope reply;
        try {
            reply = binary ? codec.decodeBinary(frame, offset, length) : codec.decode(frame, offset, length);
        } catch (WireFormatException ex) {
            handler.requests().rejected(TransportName.ZMQ, ex.getMessage());
            return;
        }
        if (!reply.kind().answersACall()) {
            handler.requests().rejected(TransportName.ZMQ, reply.kind() + " received where only replies are expected");
            return;
        }
        handler.replies().reply(reply, TransportName.ZMQ);
    }

    /**
     * Peers whose oldest message missed its ACK: everything still un-ACKed to them fails now (it
     * would time out too), and the connection is replaced, which also recovers a connection whose
     * handshake stalled.
     */
    void expireAcks(long now) {
        long timeout = settings.ackTimeout().toNanos();
        for (ZmqPeer peer : select(p -> p.oldest() != null && now - p.oldest().sentAtNanos() > timeout)) {
            log.info("Node {} ({}) did not acknowledge within {} ms; {} message(s) fail", peer.nodeId, peer.endpoint,
                    settings.ackTimeout().toMillis(), peer.pending.size());
            failPending(peer, new NoRouteException(Reason.NOT_ACKNOWLEDGED, peer.nodeId + " (" + peer.endpoint
                    + ") did not acknowledge within " + settings.ackTimeout().toMillis() + " ms"));
            close(peer);
        }
    }

    /** Closes connections unused for the idle timeout that owe nothing. */
    void closeIdle(long now) {
        long idle = settings.idleTimeout().toNanos();
        long nowMillis = System.currentTimeMillis();
        select(p -> now - p.lastActivityNanos > idle && p.closable(nowMillis)).forEach(this::close);
    }

    /** Fails everything still waiting for an ACK or a connection, when the transport stops. */
    void failAll(RuntimeException error) {
        waiting.drain().forEach(send -> send.acked().sent(error));
        peers.values().forEach(peer -> failPending(peer, error));
        peers.clear();
        batching.clear();
        connected = 0;
    }

    private static void failPending(ZmqPeer peer, RuntimeException error) {
        for (PendingAck pending : peer.pending.values()) {
            pending.acked().sent(error);
        }
        peer.pending.clear();
    }

    /** The connections held now, for the actuator endpoint; run on the I/O thread, like everything here. */
    List<ZmqTransport.PeerSnapshot> snapshot() {
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        List<ZmqTransport.PeerSnapshot> out = new ArrayList<>(peers.size());
        for (ZmqPeer peer : peers.values()) {
            Long lastAck = peer.lastAckNanos == 0 ? null
                    : nowMillis - TimeUnit.NANOSECONDS.toMillis(nowNanos - peer.lastAckNanos);
            out.add(new ZmqTransport.PeerSnapshot(peer.nodeId, peer.endpoint, peer.pending.size(),
                    peer.awaitingReplies, lastAck, peer.frameFormat()));
        }
        return out;
    }

    private List<ZmqPeer> select(Predicate<ZmqPeer> condition) {
        List<ZmqPeer> selected = new ArrayList<>(0);
        for (ZmqPeer peer : peers.values()) {
            if (condition.test(peer)) {
                selected.add(peer);
            }
        }
        return selected;
    }
}
