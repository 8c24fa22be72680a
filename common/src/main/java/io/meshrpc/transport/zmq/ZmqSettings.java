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
 * @param incoming           the receiver's limits on incoming connections
 * @param curve              CURVE authentication and encryption, or {@code null} for none
 * @param frameFormat        the highest ZeroMQ frame format this node negotiates: 2 batches envelopes
 *                           per connection where the peer reads it too; 1 pins the node to one JSON
 *                           envelope per message, exactly as the release before batch frames
 */
public record ZmqSettings(String bindHost, int port, String advertiseHost, Duration ackTimeout,
                          Duration handshakeInterval, Duration heartbeatInterval, Duration heartbeatTimeout,
                          int maxPeers, int maxPendingPerPeer, Duration idleTimeout, IncomingLimits incoming,
                          CurveSettings curve, int frameFormat) {

    /** The port a node's receiver listens on unless told otherwise: nova's {@code rpc_zmq_port}. */
    public static final int DEFAULT_PORT = 9501;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HANDSHAKE_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_MAX_PEERS = 1024;
    public static final int DEFAULT_MAX_PENDING_PER_PEER = 16384;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Batch frames where the peer reads them: the newest format, which still talks to format-1 peers. */
    public static final int DEFAULT_FRAME_FORMAT = 2;

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
        if (frameFormat < 1 || frameFormat > DEFAULT_FRAME_FORMAT) {
            throw new IllegalArgumentException("meshrpc.zmq.frame-format must be 1 or 2, was " + frameFormat);
        }
        if (incoming == null) {
            throw new IllegalArgumentException("the limits on incoming connections are missing");
        }
    }

    /** Defaults for a node on loopback, as tests and the single-machine demo use. */
    public static ZmqSettings loopback(int port) {
        return builder().bindHost("127.0.0.1").advertiseHost("127.0.0.1").port(port).build();
    }

    /** Every setting at its default: bound to all interfaces on {@link #DEFAULT_PORT}, advertised as {@code localhost}. */
    public static Builder builder() {
        return new Builder();
    }

    public ZmqSettings withAckTimeout(Duration timeout) {
        return toBuilder().ackTimeout(timeout).build();
    }

    public ZmqSettings withIdleTimeout(Duration idle) {
        return toBuilder().idleTimeout(idle).build();
    }

    public ZmqSettings withLimits(int peers, int pendingPerPeer) {
        return toBuilder().maxPeers(peers).maxPendingPerPeer(pendingPerPeer).build();
    }

    /** The same settings with other limits on incoming connections. */
    public ZmqSettings withIncoming(IncomingLimits limits) {
        return toBuilder().incoming(limits).build();
    }

    /** The same settings with CURVE on ({@code null}: off). */
    public ZmqSettings withCurve(CurveSettings curveSettings) {
        return toBuilder().curve(curveSettings).build();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder().bindHost(bindHost).port(port).advertiseHost(advertiseHost).ackTimeout(ackTimeout)
                .handshakeInterval(handshakeInterval).heartbeatInterval(heartbeatInterval)
                .heartbeatTimeout(heartbeatTimeout).maxPeers(maxPeers).maxPendingPerPeer(maxPendingPerPeer)
                .idleTimeout(idleTimeout).incoming(incoming).curve(curve).frameFormat(frameFormat);
    }

    /** Builds settings from the defaults ({@code DEFAULT_*}), changing only what is set. */
    public static final class Builder {
        private String bindHost = "*";
        private int port = DEFAULT_PORT;
        private String advertiseHost = "localhost";
        private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
        private Duration handshakeInterval = DEFAULT_HANDSHAKE_INTERVAL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private int maxPeers = DEFAULT_MAX_PEERS;
        private int maxPendingPerPeer = DEFAULT_MAX_PENDING_PER_PEER;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private IncomingLimits incoming = IncomingLimits.defaults();
        private CurveSettings curve;
        private int frameFormat = DEFAULT_FRAME_FORMAT;

        private Builder() {
        }

        public Builder bindHost(String host) {
            this.bindHost = host;
            return this;
        }

        public Builder port(int receiverPort) {
            this.port = receiverPort;
            return this;
        }

        public Builder advertiseHost(String host) {
            this.advertiseHost = host;
            return this;
        }

        public Builder ackTimeout(Duration timeout) {
            this.ackTimeout = timeout;
            return this;
        }

        public Builder handshakeInterval(Duration interval) {
            this.handshakeInterval = interval;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = timeout;
            return this;
        }

        public Builder maxPeers(int peers) {
            this.maxPeers = peers;
            return this;
        }

        public Builder maxPendingPerPeer(int pending) {
            this.maxPendingPerPeer = pending;
            return this;
        }

        public Builder idleTimeout(Duration idle) {
            this.idleTimeout = idle;
            return this;
        }

        public Builder incoming(IncomingLimits limits) {
            this.incoming = limits;
            return this;
        }

        /** CURVE authentication and encryption; {@code null} (the default) for none. */
        public Builder curve(CurveSettings settings) {
            this.curve = settings;
            return this;
        }

        /** The highest frame format to negotiate: 2 (the default) or 1, as the release before batch frames. */
        public Builder frameFormat(int format) {
            this.frameFormat = format;
            return this;
        }

        public ZmqSettings build() {
            return new ZmqSettings(bindHost, port, advertiseHost, ackTimeout, handshakeInterval, heartbeatInterval,
                    heartbeatTimeout, maxPeers, maxPendingPerPeer, idleTimeout, incoming, curve, frameFormat);
        }
    }
}
