package io.meshrpc.transport.zmq;

import io.meshrpc.transport.TransportName;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import io.meshrpc.metrics.RpcMetrics;
import io.micrometer.core.instrument.Counter;
import zmq.Options;
import zmq.ZError;

/**
 * Bounds a receiver's incoming connections and counts the ones it closes
 * ({@value RpcMetrics#ZMQ_CONNECTIONS_CLOSED}).
 *
 * <p>JeroMQ alone bounds nothing: it accepts every connection; it reads a peer whose first byte is
 * not 0xFF as a ZMTP 1.0 peer, whose handshake is then complete at once, so that random bytes pass
 * as messages on a connection no timer ever ends; and it stops its handshake timer after the
 * greetings, so a ZMTP 3 greeting followed by nothing held a connection for good. So the ROUTER is
 * set up to (with meshrpc's JeroMQ, module jeromq-patched):
 * <ul>
 * <li>close a connection accepted while {@code max-connections} are open, at once
 *     ({@code reason=over-limit});</li>
 * <li>refuse ZMTP 1.0 and 2.0 peers (meshrpc's peers and libzmq 4 speak ZMTP 3): JeroMQ refuses
 *     them on a socket with a ZAP domain, so the ROUTER always has one, CURVE or not. Without CURVE
 *     no ZAP handler is bound and JeroMQ asks none. Random bytes are then refused within the first
 *     bytes of the greeting ({@code reason=handshake-failed});</li>
 * <li>close a connection whose handshake (greeting, then the NULL or CURVE exchange) is not complete
 *     within {@code handshake-timeout} ({@code reason=handshake-timeout}).</li>
 * </ul>
 * Once a handshake is complete, ZMTP heartbeats end a connection that answers nothing within
 * {@code meshrpc.zmq.heartbeat-timeout}: a peer gone, not counted here. A connection whose
 * handshake completed but whose messages are all invalid stays open: each message is dropped and
 * counted ({@code meshrpc.messages.received{outcome=rejected}}), the connection holds one of the
 * {@code max-connections}, and a ROUTER cannot close one peer's connection anyway.
 *
 * <p>The counts come from JeroMQ's socket events, taken by an event hook that runs on JeroMQ's I/O
 * thread as each event happens: nothing is queued, so nothing is lost when a thousand connections
 * fail at once, and the hook only adds to counters. With CURVE on, every failed handshake is also an
 * authentication refusal ({@code meshrpc.auth.rejected{reason=handshake}}: a client without CURVE,
 * with the wrong server key, or refused by the allow-list), logged once per listening address.
 */
final class IncomingConnections implements zmq.ZMQ.EventConsummer {

    private static final Logger log = LoggerFactory.getLogger(IncomingConnections.class);
    private static final int EVENTS = zmq.ZMQ.ZMQ_EVENT_ACCEPTED | zmq.ZMQ.ZMQ_EVENT_ACCEPT_FAILED
            | zmq.ZMQ.ZMQ_EVENT_DISCONNECTED | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
    private static final int LOGGED_ENDPOINTS = 64;
    /**
     * Connections the kernel completes before the ROUTER accepts them. JeroMQ's 100 overflows when a
     * few hundred nodes connect at once (all of a fleet, after a scheduler restarts): the kernel then
     * drops their handshakes, and they arrive seconds later, by TCP retransmission, some after the
     * handshake timeout. The kernel caps it at {@code net.core.somaxconn} (4,096 by default).
     */
    private static final int BACKLOG = 1024;

    private final String nodeId;
    private final int maxConnections;
    private final RpcMetrics metrics;
    private final boolean curve;
    private final Counter overLimit;
    private final Counter handshakeTimeout;
    private final Counter handshakeFailed;
    private final AtomicInteger open = new AtomicInteger();
    private final OncePerKey logged = new OncePerKey(LOGGED_ENDPOINTS);

    private IncomingConnections(String nodeId, int maxConnections, RpcMetrics metrics, boolean curve) {
        this.nodeId = nodeId;
        this.maxConnections = maxConnections;
        this.metrics = metrics;
        this.curve = curve;
        this.overLimit = metrics.zmqConnectionsClosed("over-limit");
        this.handshakeTimeout = metrics.zmqConnectionsClosed("handshake-timeout");
        this.handshakeFailed = metrics.zmqConnectionsClosed("handshake-failed");
    }

    /**
     * Sets the ROUTER's limits and starts counting; before it binds (JeroMQ applies a listener's
     * options when it binds).
     */
    static IncomingConnections bound(String nodeId, ZMQ.Socket router, IncomingLimits limits, RpcMetrics metrics,
                                     boolean curve) {
        router.setBacklog(BACKLOG);
        router.setHandshakeIvl((int) limits.handshakeTimeout().toMillis());
        router.setZAPDomain(ZapHandler.DOMAIN);
        try {
            router.base().setSocketOpt(Options.MAX_CONNECTIONS, limits.maxConnections());
        } catch (IllegalArgumentException ex) {
            // An upstream JeroMQ ahead of meshrpc's on the class path (PatchedJeroMqCheck says which).
            log.warn("Node {}: meshrpc.zmq.max-connections is not enforced: the JeroMQ on the class path is not "
                    + "io.meshrpc:meshrpc-jeromq ({})", nodeId, ex.getMessage());
        }
        IncomingConnections connections = new IncomingConnections(nodeId, limits.maxConnections(), metrics, curve);
        router.base().setEventHook(connections, EVENTS);
        return connections;
    }

    /** Incoming connections open now: accepted, and not yet ended. */
    int open() {
        return open.get();
    }

    /** Runs on JeroMQ's I/O thread: counts, and never touches a socket. */
    @Override
    public void consume(zmq.ZMQ.Event event) {
        switch (event.event) {
            case zmq.ZMQ.ZMQ_EVENT_ACCEPTED -> open.incrementAndGet();
            case zmq.ZMQ.ZMQ_EVENT_DISCONNECTED -> open.updateAndGet(n -> Math.max(0, n - 1));
            case zmq.ZMQ.ZMQ_EVENT_ACCEPT_FAILED -> {
                if (event.arg instanceof Integer errno && errno == ZError.ECONNREFUSED) {
                    overLimit.increment();
                    if (logged.first("over-limit|" + event.addr)) {
                        log.warn("Node {} closed an incoming ZeroMQ connection on {}: meshrpc.zmq.max-connections ({}) "
                                + "are open (counted in {}{{reason=over-limit}}; logged once)", nodeId, event.addr,
                                maxConnections, RpcMetrics.ZMQ_CONNECTIONS_CLOSED);
                    }
                }
            }
            case zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL -> handshakeFailed(event);
            default -> {
                // not subscribed
            }
        }
    }

    private void handshakeFailed(zmq.ZMQ.Event event) {
        int errno = event.arg instanceof Integer code ? code : 0;
        if (errno == ZError.ETIMEDOUT) {
            handshakeTimeout.increment();
        } else if (errno == ZError.EPROTO) {
            handshakeFailed.increment();
        }
        // Otherwise (ENOTCONN) the peer left during its handshake: the receiver closed nothing.
        if (curve) {
            metrics.authRejected(TransportName.ZMQ, "handshake");
            if (logged.first("curve|" + event.addr)) {
                log.warn("A ZeroMQ connection to {} closed before its CURVE handshake completed: a client without CURVE, "
                        + "with the wrong server key, or refused by the allow-list (logged once per address)", event.addr);
            }
        }
    }
}
