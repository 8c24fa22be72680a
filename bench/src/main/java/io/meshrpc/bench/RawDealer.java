package io.meshrpc.bench;

import java.time.Duration;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The sending side of the raw JeroMQ baselines: a DEALER in its own {@link ZContext}, used by one
 * thread only, connected to a {@link RawRouter} and proven connected before any measurement.
 *
 * <p>Connecting between separate contexts occasionally stalls for the whole handshake interval
 * (see the JeroMQ notes), so the DEALER uses the same short handshake interval as meshrpc and
 * {@link #connect} retries with a fresh socket until a first message comes back.
 */
final class RawDealer implements AutoCloseable {

    private static final int HANDSHAKE_MILLIS = 250;
    private static final int CONNECT_ATTEMPTS = 10;
    private static final int PING_WAIT_MILLIS = 1_000;

    private final ZContext context = new ZContext(1);
    private ZMQ.Socket socket;

    /** Connects to {@code endpoint}; returns once a message made the round trip. */
    void connect(String endpoint, Duration receiveTimeout) {
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            socket = newSocket(endpoint);
            socket.send(new byte[RawRouter.ACK_BYTES], 0);
            if (socket.recv(0) != null) {
                socket.setReceiveTimeOut((int) receiveTimeout.toMillis());
                return;
            }
            Progress.say("raw DEALER: no answer from %s within %d ms (attempt %d), reconnecting", endpoint,
                    PING_WAIT_MILLIS, attempt);
            socket.close();
        }
        throw new IllegalStateException("Cannot reach the raw ROUTER at " + endpoint);
    }

    private ZMQ.Socket newSocket(String endpoint) {
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        dealer.setSndHWM(100_000);
        dealer.setRcvHWM(100_000);
        dealer.setHandshakeIvl(HANDSHAKE_MILLIS);
        dealer.setReceiveTimeOut(PING_WAIT_MILLIS);
        dealer.connect(endpoint);
        return dealer;
    }

    ZMQ.Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        context.close();
    }
}
