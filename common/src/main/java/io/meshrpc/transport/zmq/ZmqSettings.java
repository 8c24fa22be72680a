package io.meshrpc.transport.zmq;

import java.time.Duration;

/**
 * The ZeroMQ transport's tunables, resolved from {@code meshrpc.zmq.*}.
 *
 * @param bindHost           interface the ROUTER binds ({@code *} for all)
 * @param port               ROUTER port; 0 picks a free one
 * @param advertiseHost      host other nodes use to reach this one
 * @param ackTimeout         how long a sender waits for an ACK before the attempt counts as failed
 * @param handshakeInterval  ZMTP handshake limit on connecting sockets: a stalled handshake is torn
 *                           down and retried after this, well within the ACK timeout
 * @param heartbeatInterval  ZMTP heartbeat period
 * @param heartbeatTimeout   how long without traffic before ZMTP drops a connection
 * @param maxPeers           most DEALER sockets held at once; idle ones are closed first
 * @param maxPendingPerPeer  most un-ACKed messages per peer; more is an error to the caller
 * @param idleTimeout        a connection unused this long is closed
 * @param maxMessageBytes    the envelope size limit (also enforced by the codec)
 * @param incoming           the receiver's limits on incoming connections
 * @param curve              CURVE authentication and encryption, or {@code null} for none
 */
public record ZmqSettings(String bindHost, int port, String advertiseHost, Duration ackTimeout,
                          Duration handshakeInterval, Duration heartbeatInterval, Duration heartbeatTimeout,
                          int maxPeers, int maxPendingPerPeer, Duration idleTimeout, int maxMessageBytes,
                          IncomingLimits incoming, CurveSettings curve) {

    /** Settings without CURVE, with the default limits on incoming connections. */
    public ZmqSettings(String bindHost, int port, String advertiseHost, Duration ackTimeout,
                       Duration handshakeInterval, Duration heartbeatInterval, Duration heartbeatTimeout,
                       int maxPeers, int maxPendingPerPeer, Duration idleTimeout, int maxMessageBytes) {
        this(bindHost, port, advertiseHost, ackTimeout, handshakeInterval, heartbeatInterval, heartbeatTimeout,
                maxPeers, maxPendingPerPeer, idleTimeout, maxMessageBytes, IncomingLimits.defaults(), null);
    }

    public ZmqSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("meshrpc.zmq.port must be 0-65535, was " + port);
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("meshrpc.zmq.ack-timeout must be positive, was " + ackTimeout);
        }
        if (maxPeers < 1 || maxPendingPerPeer < 1) {
            throw new IllegalArgumentException("meshrpc.zmq.max-peers and max-pending-per-peer must be positive");
        }
        if (incoming == null) {
            throw new IllegalArgumentException("the limits on incoming connections are missing");
        }
    }

    /** Defaults for a node on loopback, as tests and the single-machine demo use. */
    public static ZmqSettings loopback(int port) {
        return new ZmqSettings("127.0.0.1", port, "127.0.0.1", Duration.ofSeconds(1), Duration.ofMillis(250),
                Duration.ofSeconds(1), Duration.ofSeconds(3), 1024, 16384, Duration.ofMinutes(5), 1 << 20);
    }

    public ZmqSettings withAckTimeout(Duration timeout) {
        return new ZmqSettings(bindHost, port, advertiseHost, timeout, handshakeInterval, heartbeatInterval,
                heartbeatTimeout, maxPeers, maxPendingPerPeer, idleTimeout, maxMessageBytes, incoming, curve);
    }

    public ZmqSettings withIdleTimeout(Duration idle) {
        return new ZmqSettings(bindHost, port, advertiseHost, ackTimeout, handshakeInterval, heartbeatInterval,
                heartbeatTimeout, maxPeers, maxPendingPerPeer, idle, maxMessageBytes, incoming, curve);
    }

    public ZmqSettings withLimits(int peers, int pendingPerPeer) {
        return new ZmqSettings(bindHost, port, advertiseHost, ackTimeout, handshakeInterval, heartbeatInterval,
                heartbeatTimeout, peers, pendingPerPeer, idleTimeout, maxMessageBytes, incoming, curve);
    }

    /** The same settings with other limits on incoming connections. */
    public ZmqSettings withIncoming(IncomingLimits limits) {
        return new ZmqSettings(bindHost, port, advertiseHost, ackTimeout, handshakeInterval, heartbeatInterval,
                heartbeatTimeout, maxPeers, maxPendingPerPeer, idleTimeout, maxMessageBytes, limits, curve);
    }

    /** The same settings with CURVE on ({@code null}: off). */
    public ZmqSettings withCurve(CurveSettings curveSettings) {
        return new ZmqSettings(bindHost, port, advertiseHost, ackTimeout, handshakeInterval, heartbeatInterval,
                heartbeatTimeout, maxPeers, maxPendingPerPeer, idleTimeout, maxMessageBytes, incoming, curveSettings);
    }
}
