package io.meshrpc.transport.zmq;

import io.meshrpc.transport.TransportName;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.RequestHandler;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;

/**
 * The receiving half of the transport, run by the I/O thread: reads requests from the ROUTER,
 * offers them to the node, and answers each with an ACK or a NACK; sends replies back on the
 * connection their call came in on.
 *
 * <p>Two frame formats: one JSON envelope per message (format 1), or a batch frame of several
 * (format 2, {@link BatchFrame}), told apart by the first byte. A connection uses the highest format
 * both ends read: a DEALER announces its own in its routing id ({@link ZmqFrames#formatOf}), so a
 * sender of the release before batch frames, or a peer written without them, is read and answered
 * exactly as before.
 */
final class ZmqReceiver {

    private static final Logger log = LoggerFactory.getLogger(ZmqReceiver.class);
    private static final int MAX_READS = 256;
    /** A batch frame is dropped from its next item on once this many of its items were refused unread. */
    private static final int MAX_DROPPED_PER_FRAME = 16;
    /** Answer buffers kept for reuse between flushes; more connections than this allocate afresh. */
    private static final int SPARE_ANSWERS = 64;
    /**
     * How long a frame holding only ACKs of calls waits for their replies, so that a quick call is
     * answered with one message instead of two (decision 81). The I/O thread's poll then wakes after
     * a millisecond at most.
     */
    static final long CALL_ACK_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String nodeId;
    private final ZMQ.Socket router;
    private final EnvelopeCodec codec;
    private final RequestHandler handler;
    private final Consumer<Runnable> ioThread;
    private final int frameFormat;
    private final int batchBytes;
    private final List<byte[]> ackIds = new ArrayList<>();
    private byte[] ackIdentity;
    /** Format-2 answers (ACKs, NACKs, replies) per connection, sent by {@link #flush()}. */
    private final Map<String, Answers> batched = new HashMap<>();
    private final ArrayDeque<Answers> spare = new ArrayDeque<>();
    private Answers lastAnswers;

    /**
     * @param ioThread    runs a task on the I/O thread (replies are produced by workers, but only the
     *                    I/O thread may touch the ROUTER)
     * @param frameFormat the highest frame format this node reads and answers in
     */
    ZmqReceiver(String nodeId, ZMQ.Socket router, EnvelopeCodec codec, RequestHandler handler,
                Consumer<Runnable> ioThread, int frameFormat) {
        this.nodeId = nodeId;
        this.router = router;
        this.codec = codec;
        this.handler = handler;
        this.ioThread = ioThread;
        this.frameFormat = frameFormat;
        this.batchBytes = BatchFrame.limit(codec.maxMessageBytes());
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
            // Batch frames only where the DEALER announced them: from any other peer a frame is one
            // envelope, whatever its first byte, exactly as in the release before them.
            if (BatchFrameReader.isBatch(frame) && answersInBatches(identity)) {
                onBatch(identity, frame);
            } else {
                onRequest(identity, frame, 0, frame.length, false);
            }
        }
        flushAcks();
        flush();
        return n > 0;
    }

    /**
     * Every envelope of a batch frame in order, each answered as if it had come alone. A refused
     * envelope costs only itself; a frame that keeps failing, or whose items stop making sense, is
     * dropped from there on, and the sender's ACK timeout covers what it held.
     */
    private void onBatch(byte[] identity, byte[] frame) {
        BatchFrameReader items = new BatchFrameReader(frame);
        int dropped = 0;
        try {
            while (items.next()) {
                byte type = items.type();
                boolean read = type == BatchFrame.BINARY_ENVELOPE || type == BatchFrame.ENVELOPE
                        ? onRequest(identity, frame, items.offset(), items.length(), type == BatchFrame.BINARY_ENVELOPE)
                        : rejected("batch item of type '" + (char) type + "' sent to a ROUTER; only envelopes (B, E) go this way");
                if (!read && ++dropped == MAX_DROPPED_PER_FRAME) {
                    rejected("batch frame dropped after " + MAX_DROPPED_PER_FRAME + " unreadable items");
                    return;
                }
            }
        } catch (WireFormatException ex) {
            rejected(ex.getMessage());
        }
    }

    /** @return false when the envelope was dropped without an answer */
    private boolean onRequest(byte[] identity, byte[] frame, int offset, int length, boolean binary) {
        Envelope request;
        try {
            request = binary ? codec.decodeBinary(frame, offset, length) : codec.decode(frame, offset, length);
        } catch (WireFormatException ex) {
            handler.rejected(TransportName.ZMQ, ex.getMessage());
            if (ex.envelopeId() != null) {
                refuse(identity, ex.envelopeId(), "meshrpc.BadEnvelope", ex.getMessage());
                return true;
            }
            return false;
        }
        if (request.kind().answersACall()) {
            return rejected(request.kind() + " sent to a ROUTER; replies travel back on the caller's connection");
        }
        Acceptance acceptance = handler.accept(request, TransportName.ZMQ,
                reply -> reply(identity, reply, binary));
        if (acceptance.acknowledged()) {
            acknowledge(identity, ZmqFrames.utf8(request.id()), request.kind() == Kind.CALL);
        } else {
            refuse(identity, request.id(), acceptance.errorType(),
                    acceptance.description() + " (node " + nodeId + ", topic " + request.topic() + ")");
        }
        return true;
    }

    private boolean rejected(String reason) {
        handler.rejected(TransportName.ZMQ, reason);
        return false;
    }

    private boolean answersInBatches(byte[] identity) {
        return frameFormat >= 2 && ZmqFrames.formatOf(identity) >= 2;
    }

    /**
     * In format 2 the ACK of a CALL may wait for the call's reply ({@link #CALL_ACK_HOLD_NANOS}) while
     * the frame holds nothing else; every other answer makes the frame go out at the next flush.
     */
    private void acknowledge(byte[] identity, byte[] id, boolean call) {
        if (answersInBatches(identity)) {
            Answers answers = answers(identity, id.length);
            if (!call) {
                answers.heldSince = 0;
            } else if (answers.frame.isEmpty()) {
                answers.heldSince = System.nanoTime();
            }
            answers.frame.ack(id);
        } else {
            queueAck(identity, id);
        }
    }

    private void refuse(byte[] identity, String id, String type, String message) {
        if (answersInBatches(identity)) {
            byte[] idBytes = ZmqFrames.utf8(id);
            byte[] reason = ZmqFrames.nackBody(type, message);
            int length = BatchFrame.varintSize(idBytes.length) + idBytes.length + reason.length;
            Answers answers = answers(identity, length);
            answers.heldSince = 0;
            answers.frame.nack(idBytes, reason);
        } else {
            sendNack(identity, id, type, message);
        }
    }

    /**
     * Back on the caller's connection, in the encoding its call came in (a peer that writes JSON items
     * never has to read binary ones), by the I/O thread (only it may touch the ROUTER); fails when the
     * connection is gone, and the node then tries the caller's broker reply queue.
     */
    private CompletableFuture<Void> reply(byte[] identity, EncodedEnvelope reply, boolean binary) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (!binary) {
            reply.json(); // made here, on the worker, not on the I/O thread
        }
        ioThread.accept(() -> {
            if (answersInBatches(identity)) {
                byte[] encoded = binary ? reply.binary() : reply.json();
                Answers answers = answers(identity, encoded.length);
                if (binary) {
                    answers.frame.binaryEnvelope(encoded);
                } else {
                    answers.frame.envelope(encoded);
                }
                answers.replies.add(sent);
                answers.heldSince = 0;
            } else if (send(identity, ZmqFrames.REPLY, reply.json())) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(connectionGone());
            }
        });
        return sent;
    }

    private NoRouteException connectionGone() {
        return new NoRouteException(NoRouteException.Reason.TRANSPORT_UNAVAILABLE,
                "the caller's ZeroMQ connection to node " + nodeId + " is gone");
    }

    /**
     * The format-2 answers being gathered for {@code identity}'s connection, with room for an item of
     * {@code length} bytes: what it holds goes out first if the item would take the frame past the
     * limit, so that no answer frame is larger than the caller reads.
     */
    private Answers answers(byte[] identity, int length) {
        Answers answers = answers(identity);
        if (answers.frame.full(length, batchBytes)) {
            send(answers);
        }
        return answers;
    }

    private Answers answers(byte[] identity) {
        if (lastAnswers != null && Arrays.equals(lastAnswers.identity, identity)) {
            return lastAnswers;
        }
        String key = new String(identity, StandardCharsets.ISO_8859_1);
        Answers answers = batched.get(key);
        if (answers == null) {
            answers = spare.isEmpty() ? new Answers() : spare.poll();
            answers.identity = identity;
            batched.put(key, answers);
        }
        lastAnswers = answers;
        return answers;
    }

    /**
     * Sends the format-2 answers gathered since the last flush, one frame per connection: after each
     * read round and after the replies workers handed over. A frame of call ACKs held for their
     * replies stays until its hold is over.
     */
    void flush() {
        if (batched.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Iterator<Answers> all = batched.values().iterator();
        while (all.hasNext()) {
            Answers answers = all.next();
            if (answers.heldSince != 0 && now - answers.heldSince < CALL_ACK_HOLD_NANOS) {
                continue;
            }
            send(answers);
            all.remove();
            answers.identity = null;
            if (spare.size() < SPARE_ANSWERS) {
                spare.push(answers);
            }
        }
        lastAnswers = null;
    }

    /** Whether ACKs wait for their calls' replies; the I/O thread then polls with a short timeout. */
    boolean holding() {
        return !batched.isEmpty();
    }

    /** Sends what one connection is owed as one frame, and empties it. */
    private void send(Answers answers) {
        if (answers.frame.isEmpty()) {
            return;
        }
        boolean sent = sendIdentity(answers.identity)
                && router.send(answers.frame.buffer(), 0, answers.frame.size(), 0);
        if (!sent) {
            log.debug("Peer gone before {} answer(s) could be sent", answers.frame.items());
        }
        for (CompletableFuture<Void> reply : answers.replies) {
            if (sent) {
                reply.complete(null);
            } else {
                reply.completeExceptionally(connectionGone());
            }
        }
        answers.frame.clear();
        answers.replies.clear();
        answers.heldSince = 0;
    }

    /** What one connection is owed in format 2; reused once sent. */
    private static final class Answers {
        byte[] identity;
        final BatchFrame frame = new BatchFrame();
        final List<CompletableFuture<Void>> replies = new ArrayList<>(0);
        /** When the frame started holding ACKs of calls only (System.nanoTime), or 0. */
        long heldSince;

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
