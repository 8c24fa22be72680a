package io.meshrpc.transport.zmq;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;

/**
 * How many incoming connections a receiver keeps, and how long one may take to become a ZeroMQ
 * peer. A connection past the limit is closed as soon as it is accepted; one whose ZMTP handshake
 * (greeting, then the NULL or CURVE exchange) is not complete within the timeout is closed then.
 *
 * @param maxConnections   most incoming connections open at once ({@code meshrpc.zmq.max-connections})
 * @param handshakeTimeout how long an incoming connection may take to complete its handshake
 *                         ({@code meshrpc.zmq.handshake-timeout})
 */
public record IncomingLimits(int maxConnections, Duration handshakeTimeout) {

    /**
     * Room for every node of a 20,000-node fleet to hold a connection to the same receiver (every
     * node may call every scheduler), with 60 % to spare for growth and for the old connections of
     * nodes that reconnect. It costs nothing until used: it only caps.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 32_768;

    /**
     * A meshrpc sender gives up its own handshake after {@code meshrpc.zmq.handshake-interval}
     * (250 ms) and retries, so a handshake still unfinished after 5 s is no meshrpc peer's; 5 s also
     * leaves a CURVE handshake a few TCP retransmissions over a lossy link.
     */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    public IncomingLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("meshrpc.zmq.max-connections must be positive, was " + maxConnections);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || handshakeTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("meshrpc.zmq.handshake-timeout must be positive (and under 24 days), was "
                    + handshakeTimeout);
        }
    }

    /** The limits, each left unset ({@code null}) taking its default. */
    public static IncomingLimits of(Integer maxConnections, Duration handshakeTimeout) {
        return new IncomingLimits(maxConnections != null ? maxConnections : defaultMaxConnections(openFilesLimit()),
                handshakeTimeout != null ? handshakeTimeout : DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** Both defaults. */
    public static IncomingLimits defaults() {
        return of(null, null);
    }

    /**
     * {@value #DEFAULT_MAX_CONNECTIONS}, or half the process's open-files limit when that is lower:
     * incoming connections alone must never take every file descriptor, or the node could no longer
     * open its own connections (max-peers of them, and as many closing), its HTTP sockets or a file.
     * Past the open-files limit the cap could not work anyway: accepting fails before it is reached.
     *
     * @param openFiles the open-files limit, or a negative number when unknown
     */
    static int defaultMaxConnections(long openFiles) {
        if (openFiles <= 0) {
            return DEFAULT_MAX_CONNECTIONS;
        }
        return (int) Math.max(1, Math.min(DEFAULT_MAX_CONNECTIONS, openFiles / 2));
    }

    /** {@code ulimit -n} of this process, or -1 where the JVM does not tell it. */
    private static long openFilesLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
