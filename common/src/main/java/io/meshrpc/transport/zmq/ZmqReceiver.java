package io.meshrpc.transport.zmq;

import io.meshrpc.transport.TransportName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.RequestHandler;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;

/**
 * The receiving half of the transport, run by the I/O thread: reads requests from the ROUTER,
 * offers them to the node, and answers each with an ACK or a NACK; sends replies back on the
 * connection their call came in on.
 */
final class ZmqReceiver {

    private static final Logger log = LoggerFactory.getLogger(ZmqReceiver.class);
    private static final int MAX_READS = 256;

    private final String nodeId;
    private final ZMQ.Socket router;
    private final EnvelopeCodec codec;
    private final RequestHandler handler;
    private final Consumer<Runnable> ioThread;
    private final List<byte[]> ackIds = new ArrayList<>();
    private byte[] ackIdentity;

    /**
     * @param ioThread runs a task on the I/O thread (replies are produced by workers, but only the
     *                 I/O thread may touch the ROUTER)
     */
    ZmqReceiver(String nodeId, ZMQ.Socket router, EnvelopeCodec codec, RequestHandler handler,
                Consumer<Runnable> ioThread) {
        this.nodeId = nodeId;
        this.router = router;
        this.codec = codec;
        this.handler = handler;
        this.ioThread = ioThread;
    }

    /**
     * Reads what the ROUTER has (at most a batch), then sends the batch's ACKs.
     *
     * @return whether anything was read (then the ROUTER is read again next round)
     */
    boolean read() {
        int n = 0;
        for (; n < MAX_READS; n++) {
            byte[] identity = router.recv(ZMQ.DONTWAIT);
            if (identity == null) {
                break;
            }
            byte[] frame = null;
            int frames = 1;
            while (router.hasReceiveMore()) {
                byte[] part = router.recv(0);
                frames++;
                if (frames == 2) {
                    frame = part;
                }
            }
            if (frames != 2) {
                handler.rejected(TransportName.ZMQ, "expected 1 frame after the identity, got " + (frames - 1));
                continue;
            }
            onRequest(identity, frame);
        }
        flushAcks();
        return n > 0;
    }

    private void onRequest(byte[] identity, byte[] frame) {
        Envelope request;
        try {
            request = codec.decode(frame);
        } catch (WireFormatException ex) {
            handler.rejected(TransportName.ZMQ, ex.getMessage());
            if (ex.envelopeId() != null) {
                sendNack(identity, ex.envelopeId(), "meshrpc.BadEnvelope", ex.getMessage());
            }
            return;
        }
        if (request.kind() == Kind.REPLY) {
            handler.rejected(TransportName.ZMQ, "REPLY sent to a ROUTER; replies travel back on the caller's connection");
            return;
        }
        Acceptance acceptance = handler.accept(request, TransportName.ZMQ,
                (reply, encoded) -> reply(identity, encoded));
        if (acceptance.acknowledged()) {
            queueAck(identity, ZmqFrames.utf8(request.id()));
        } else {
            sendNack(identity, request.id(), acceptance.errorType(),
                    acceptance.description() + " (node " + nodeId + ", topic " + request.topic() + ")");
        }
    }

    /**
     * Back on the caller's connection, by the I/O thread (only it may touch the ROUTER); fails when the
     * connection is gone, and the node then tries the caller's broker reply queue.
     */
    private CompletableFuture<Void> reply(byte[] identity, byte[] encoded) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        ioThread.accept(() -> {
            if (send(identity, ZmqFrames.REPLY, encoded)) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(new NoRouteException(NoRouteException.Reason.TRANSPORT_UNAVAILABLE,
                        "the caller's ZeroMQ connection to node " + nodeId + " is gone"));
            }
        });
        return sent;
    }

    /**
     * ACKs are sent once per read batch and sender, several ids in one message: under load this
     * divides the ACK traffic by the batch size, and it never delays an ACK past the current loop.
     */
    private void queueAck(byte[] identity, byte[] id) {
        if (ackIdentity != null && !Arrays.equals(ackIdentity, identity)) {
            flushAcks();
        }
        ackIdentity = identity;
        ackIds.add(id);
    }

    private void flushAcks() {
        if (ackIds.isEmpty()) {
            return;
        }
        if (sendIdentity(ackIdentity)) {
            router.send(ZmqFrames.ACK, ZMQ.SNDMORE);
            int last = ackIds.size() - 1;
            for (int i = 0; i <= last; i++) {
                router.send(ackIds.get(i), i < last ? ZMQ.SNDMORE : 0);
            }
        } else {
            log.debug("Peer gone before its ACKs could be sent (errno {})", router.errno());
        }
        ackIds.clear();
        ackIdentity = null;
    }

    private void sendNack(byte[] identity, String id, String type, String message) {
        if (sendIdentity(identity)) {
            router.send(ZmqFrames.NACK, ZMQ.SNDMORE);
            router.send(ZmqFrames.utf8(id), ZMQ.SNDMORE);
            router.send(ZmqFrames.nackBody(type, message), 0);
        }
    }

    private boolean send(byte[] identity, byte[] command, byte[] body) {
        if (!sendIdentity(identity)) {
            log.debug("Peer gone before its {} could be sent", ZmqFrames.utf8(command));
            return false;
        }
        router.send(command, ZMQ.SNDMORE);
        return router.send(body, 0);
    }

    /**
     * Starts a message to {@code identity}. With ROUTER_MANDATORY, JeroMQ throws (EHOSTUNREACH)
     * rather than returning false when the peer's connection is gone — a caller that hangs up before
     * its reply must not take the I/O thread down with it.
     */
    private boolean sendIdentity(byte[] identity) {
        try {
            return router.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT);
        } catch (org.zeromq.ZMQException ex) {
            return false;
        }
    }
}
