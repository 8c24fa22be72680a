package io.meshrpc.transport.zmq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.transport.InboundHandler;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;

/**
 * The sending half of the transport, run by the I/O thread: one DEALER per peer, the messages
 * waiting for their ACK on each, ACK timeouts, and the bound on connections (least recently used
 * idle ones are closed first).
 */
final class ZmqSender {

    private static final Logger log = LoggerFactory.getLogger(ZmqSender.class);
    private static final int MAX_READS = 256;

    private final ZmqSettings settings;
    private final ZContext context;
    private final ZmqSelector selector;
    private final EnvelopeCodec codec;
    private final InboundHandler handler;
    private final LinkedHashMap<String, ZmqPeer> peers = new LinkedHashMap<>(16, 0.75f, true);
    private volatile int connected;

    ZmqSender(ZmqSettings settings, ZContext context, ZmqSelector selector, EnvelopeCodec codec, InboundHandler handler) {
        this.settings = settings;
        this.context = context;
        this.selector = selector;
        this.codec = codec;
        this.handler = handler;
    }

    /** Connections held now; read from any thread (a gauge). */
    int connected() {
        return connected;
    }

    boolean awaitingAcks() {
        for (ZmqPeer peer : peers.values()) {
            if (!peer.pending.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    void send(String peerNodeId, String peerEndpoint, String peerKey, String id, byte[] frame, long replyDeadline,
              CompletableFuture<Void> acked) {
        ZmqPeer peer = peers.get(peerEndpoint);
        if (peer == null && settings.curve() != null && !CurveKeys.isKey(peerKey)) {
            acked.completeExceptionally(new NoRouteException(Reason.NO_NODES, "No CURVE public key known for "
                    + peerNodeId + " (" + peerEndpoint + "); with meshrpc.zmq.curve.enabled=true the matchmaker "
                    + "must publish each receiver's key"));
            return;
        }
        if (peer == null) {
            peer = open(peerNodeId, peerEndpoint, peerKey);
            if (peer == null) {
                acked.completeExceptionally(new NoRouteException(Reason.TOO_MANY_PEERS, "Cannot open a connection to "
                        + peerNodeId + " (" + peerEndpoint + "): all " + settings.maxPeers()
                        + " connections (meshrpc.zmq.max-peers) are busy"));
                return;
            }
        }
        if (peer.pending.size() >= settings.maxPendingPerPeer() || !peer.socket.send(frame, ZMQ.DONTWAIT)) {
            acked.completeExceptionally(queueFull(peer));
            return;
        }
        long now = System.nanoTime();
        peer.lastActivityNanos = now;
        boolean call = replyDeadline > 0;
        if (call) {
            peer.awaitingReplies++;
            peer.latestReplyDeadlineMillis = Math.max(peer.latestReplyDeadlineMillis, replyDeadline);
        }
        peer.pending.put(id, new PendingAck(id, now, call, acked));
        // The send may have taken the signal of ACKs that arrived meanwhile: read them next round.
        selector.mark(peer.key);
    }

    private NoRouteException queueFull(ZmqPeer peer) {
        return new NoRouteException(Reason.PEER_QUEUE_FULL, peer.pending.size() + " messages to " + peer.nodeId
                + " (" + peer.endpoint + ") wait for an ACK already (meshrpc.zmq.max-pending-per-peer="
                + settings.maxPendingPerPeer() + ")");
    }

    private ZmqPeer open(String peerNodeId, String peerEndpoint, String peerKey) {
        if (peers.size() >= settings.maxPeers() && !evictOne()) {
            return null;
        }
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setSndHWM(settings.maxPendingPerPeer() + 64);
        socket.setRcvHWM(100_000);
        socket.setHandshakeIvl((int) settings.handshakeInterval().toMillis());
        socket.setReconnectIVL(100);
        socket.setReconnectIVLMax(5_000);
        ZmqSockets.applyLimits(socket, settings);
        if (settings.curve() != null) {
            socket.setCurveServerKey(org.zeromq.ZMQ.Curve.z85Decode(peerKey));
            socket.setCurvePublicKey(settings.curve().keys().publicKeyBytes());
            socket.setCurveSecretKey(settings.curve().keys().secretKeyBytes());
        }
        socket.connect(peerEndpoint);
        ZmqPeer peer = new ZmqPeer(peerEndpoint, peerNodeId, socket, System.nanoTime());
        peers.put(peerEndpoint, peer);
        peer.key = selector.register(socket, () -> read(peer));
        connected = peers.size();
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
        peers.remove(peer.endpoint);
        peer.key.cancel();
        context.destroySocket(peer.socket);
        connected = peers.size();
    }

    /**
     * Reads ACKs, NACKs and replies that arrived on one peer's DEALER.
     *
     * @return whether anything was read (then the DEALER is read again next round)
     */
    private boolean read(ZmqPeer peer) {
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
            onMessage(peer, command, body);
        }
        return true;
    }

    private void onMessage(ZmqPeer peer, byte[] command, List<byte[]> body) {
        if (ZmqFrames.is(command, ZmqFrames.ACK) && !body.isEmpty()) {
            peer.lastAckNanos = peer.lastActivityNanos;
            for (byte[] id : body) {
                PendingAck pending = peer.pending.remove(ZmqFrames.utf8(id));
                if (pending != null) {
                    pending.acked().complete(null);
                }
            }
        } else if (ZmqFrames.is(command, ZmqFrames.NACK) && body.size() == 2) {
            PendingAck pending = peer.pending.remove(ZmqFrames.utf8(body.get(0)));
            if (pending != null) {
                if (pending.call()) {
                    peer.replyArrived();
                }
                pending.acked().completeExceptionally(new NoRouteException(Reason.REFUSED, peer.nodeId + " ("
                        + peer.endpoint + ") refused the message: " + ZmqFrames.utf8(body.get(1))));
            }
        } else if (ZmqFrames.is(command, ZmqFrames.REPLY) && body.size() == 1) {
            peer.replyArrived();
            onReply(body.get(0));
        } else {
            handler.rejected(ZmqTransport.NAME, "unknown command frame from " + peer.endpoint);
        }
    }

    private void onReply(byte[] frame) {
        Envelope reply;
        try {
            reply = codec.decode(frame);
        } catch (WireFormatException ex) {
            handler.rejected(ZmqTransport.NAME, ex.getMessage());
            return;
        }
        if (reply.kind() != Kind.REPLY) {
            handler.rejected(ZmqTransport.NAME, reply.kind() + " received where only replies are expected");
            return;
        }
        handler.reply(reply, ZmqTransport.NAME);
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

    /** Fails everything still waiting for an ACK, when the transport stops. */
    void failAll(RuntimeException error) {
        peers.values().forEach(peer -> failPending(peer, error));
        peers.clear();
        connected = 0;
    }

    private static void failPending(ZmqPeer peer, RuntimeException error) {
        for (PendingAck pending : peer.pending.values()) {
            pending.acked().completeExceptionally(error);
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
                    peer.awaitingReplies, lastAck));
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
