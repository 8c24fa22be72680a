package io.meshrpc.transport.zmq;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.metrics.RpcMetrics;

/**
 * Watches the receiver's handshakes when CURVE is on. A client that does not speak CURVE at all
 * never reaches the ZAP handler — its handshake just fails — so this is where it is counted
 * ({@code meshrpc.auth.rejected{reason=handshake}}: every connection closed before its handshake
 * completed, including those the allow-list refused) and logged, once per listening address.
 */
final class HandshakeMonitor {

    private static final Logger log = LoggerFactory.getLogger(HandshakeMonitor.class);
    private static final int EVENTS = ZMQ.EVENT_ACCEPTED | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_HANDSHAKE_PROTOCOL
            | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_SUCCEEDED | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
            | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
    private static final int LOGGED_PEERS = 1024;

    private final ZMQ.Socket socket;
    private final RpcMetrics metrics;
    /** Connections accepted whose handshake has not finished yet. */
    private int handshaking;
    private final OncePerKey logged = new OncePerKey(LOGGED_PEERS);

    HandshakeMonitor(ZContext context, ZMQ.Socket watched, RpcMetrics metrics) {
        this.metrics = metrics;
        String endpoint = "inproc://meshrpc-handshakes-" + UUID.randomUUID();
        watched.monitor(endpoint, EVENTS);
        socket = context.createSocket(SocketType.PAIR);
        socket.setLinger(0);
        socket.connect(endpoint);
    }

    ZMQ.Socket socket() {
        return socket;
    }

    private static boolean failure(int type) {
        return type == zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL || type == zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                || type == zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
    }

    private void rejected(ZMQ.Event event) {
        metrics.authRejected("zmq", "handshake");
        String peer = String.valueOf(event.getAddress());
        if (logged.first(peer)) {
            log.warn("A ZeroMQ connection to {} closed before its CURVE handshake completed: a client without CURVE, "
                    + "with the wrong server key, or refused by the allow-list (logged once per address)", peer);
        }
    }

    void handle() {
        ZMQ.Event event;
        while ((event = ZMQ.Event.recv(socket, ZMQ.DONTWAIT)) != null) {
            int type = event.getEvent();
            if (type == ZMQ.EVENT_ACCEPTED) {
                handshaking++;
            } else if (type == ZMQ.EVENT_HANDSHAKE_PROTOCOL || type == zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
                handshaking = Math.max(0, handshaking - 1);
            } else if (type == ZMQ.EVENT_DISCONNECTED && handshaking > 0 || failure(type)) {
                // JeroMQ reports a failed handshake (e.g. a client without CURVE) as a disconnect
                // of a connection that never completed its handshake.
                handshaking = Math.max(0, handshaking - 1);
                rejected(event);
            }
        }
    }
}
