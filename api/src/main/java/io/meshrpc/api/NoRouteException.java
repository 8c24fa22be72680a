package io.meshrpc.api;

/**
 * The message could not be handed to any receiver: no node serves the topic, the chosen node did
 * not acknowledge in time, refused it, or the path to it is saturated.
 *
 * <p>When this is raised the message was <em>not</em> accepted anywhere, so for a cast it is safe
 * to retry; {@link #reason()} says why, so a caller or an operator can tell "nobody is there" from
 * "somebody is there but overloaded".
 */
public class NoRouteException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** Why there was no route. */
    public enum Reason {
        /** The matchmaker knows no (live) node for the target. */
        NO_NODES,
        /** The node did not acknowledge within the ACK timeout. */
        NOT_ACKNOWLEDGED,
        /** The node refused the message (wrong node, topic not served, overloaded). */
        REFUSED,
        /** Too many messages are waiting for acknowledgement from that node already. */
        PEER_QUEUE_FULL,
        /**
         * Not raised any more: a send that finds every connection busy waits for one
         * ({@link #NO_FREE_CONNECTION} if that wait is too long). Kept so code that names it compiles.
         */
        TOO_MANY_PEERS,
        /**
         * Every ZeroMQ connection this node may hold ({@code meshrpc.zmq.max-peers}) stayed busy: none
         * was freed for the sends waiting for one within the ACK timeout, or too many sends waited
         * already ({@code meshrpc.zmq.max-pending-per-peer}). The message was never sent, and the
         * node is not taken for down.
         */
        NO_FREE_CONNECTION,
        /** The transport is stopped or not configured. */
        TRANSPORT_UNAVAILABLE,
        /**
         * This node already has its maximum of calls waiting for replies
         * ({@code meshrpc.max-in-flight-calls}): a caller that outruns its peers gets an error now
         * instead of a table of pending calls that grows without limit.
         */
        TOO_MANY_IN_FLIGHT
    }

    private final Reason reason;

    public NoRouteException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why no route was found. */
    public Reason reason() {
        return reason;
    }
}
