package io.meshrpc.transport.zmq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.zeromq.ZMQ;

/**
 * One outgoing connection, owned by the I/O thread: its DEALER socket and the messages sent on it
 * that still wait for an ACK, oldest first (every message shares one ACK timeout, so the oldest is
 * the first to expire).
 */
final class ZmqPeer {

    final String endpoint;
    final String nodeId;
    final ZMQ.Socket socket;
    final LinkedHashMap<String, PendingAck> pending = new LinkedHashMap<>();
    long lastActivityNanos;
    /** When the last ACK frame (a batch of ids) arrived, {@code System.nanoTime()}; 0 for never. */
    long lastAckNanos;
    long latestReplyDeadlineMillis;
    int awaitingReplies;
    ZmqSelector.Key key;
    /**
     * The envelopes queued for the next batch frame and the messages they are, once the receiver
     * answered in format 2 (null until then: this connection sends one JSON envelope per message).
     */
    BatchFrame batch;
    final List<PendingAck> inBatch = new ArrayList<>(0);
    /** Whether this peer is in the sender's list of batches to send. */
    boolean batchQueued;

    ZmqPeer(String endpoint, String nodeId, ZMQ.Socket socket, long now) {
        this.endpoint = endpoint;
        this.nodeId = nodeId;
        this.socket = socket;
        this.lastActivityNanos = now;
    }

    /**
     * Whether closing this connection would lose nothing: no un-ACKed message, and no reply due on
     * it (a reply that is overdue will not be waited for anyway).
     */
    boolean closable(long nowMillis) {
        return pending.isEmpty() && (awaitingReplies == 0 || nowMillis > latestReplyDeadlineMillis);
    }

    void replyArrived() {
        if (awaitingReplies > 0) {
            awaitingReplies--;
        }
    }

    /** The frame format this connection sends in: 2 once the receiver answered in batch frames. */
    int frameFormat() {
        return batch == null ? 1 : 2;
    }

    PendingAck oldest() {
        return pending.isEmpty() ? null : pending.values().iterator().next();
    }
}
