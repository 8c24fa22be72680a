package io.meshrpc.transport.zmq;

import java.util.LinkedHashMap;

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

    PendingAck oldest() {
        return pending.isEmpty() ? null : pending.values().iterator().next();
    }
}
