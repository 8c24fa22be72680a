package io.meshrpc.transport.zmq;

import io.meshrpc.transport.TransportName;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.metrics.RpcMetrics;

/**
 * Decides which CURVE clients a receiver accepts: the ZAP 1.0 handler of the node's ZeroMQ
 * context, run by the I/O thread (JeroMQ asks it during each handshake).
 *
 * <p>A refused client is counted in {@code meshrpc.auth.rejected} every time, and logged once per
 * address and key — a misconfigured peer retrying every 100 ms must not flood the log.
 */
final class ZapHandler {

    static final String DOMAIN = "meshrpc";
    private static final Logger log = LoggerFactory.getLogger(ZapHandler.class);
    private static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final int LOGGED_PEERS = 1024;

    private final ZMQ.Socket socket;
    private final CurveSettings curve;
    private final RpcMetrics metrics;
    private final OncePerKey logged = new OncePerKey(LOGGED_PEERS);

    ZapHandler(ZContext context, CurveSettings curve, RpcMetrics metrics) {
        this.curve = curve;
        this.metrics = metrics;
        this.socket = context.createSocket(SocketType.REP);
        socket.setLinger(0);
        socket.bind(ENDPOINT);
    }

    ZMQ.Socket socket() {
        return socket;
    }

    /** Answers every pending ZAP request. */
    void handle() {
        byte[] version;
        while ((version = socket.recv(ZMQ.DONTWAIT)) != null) {
            byte[][] frames = new byte[7][];
            frames[0] = version;
            int n = 1;
            while (socket.hasReceiveMore()) {
                byte[] part = socket.recv(0);
                if (n < frames.length) {
                    frames[n] = part;
                }
                n++;
            }
            answer(frames, n);
        }
    }

    private void answer(byte[][] frames, int count) {
        String requestId = count > 1 ? text(frames[1]) : "";
        String address = count > 3 ? text(frames[3]) : "?";
        String mechanism = count > 5 ? text(frames[5]) : "?";
        String clientKey = count > 6 && frames[6] != null && frames[6].length == 32
                ? ZMQ.Curve.z85Encode(frames[6]) : null;
        boolean ok = "CURVE".equals(mechanism) && clientKey != null && curve.allows(clientKey);
        if (!ok) {
            metrics.authRejected(TransportName.ZMQ, "CURVE".equals(mechanism) ? "unknown-key" : "mechanism");
            if (logged.first(address + "|" + clientKey)) {
                log.warn("Refused a ZeroMQ client at {} ({} with key {}): not on meshrpc.zmq.curve.allowed-clients",
                        address, mechanism, clientKey);
            }
        }
        socket.send("1.0", ZMQ.SNDMORE);
        socket.send(requestId, ZMQ.SNDMORE);
        socket.send(ok ? "200" : "400", ZMQ.SNDMORE);
        socket.send(ok ? "OK" : "client key not allowed", ZMQ.SNDMORE);
        socket.send(ok ? clientKey : "", ZMQ.SNDMORE);
        socket.send(new byte[0], 0);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
