package io.meshrpc.wire;

/** The kinds of envelope on the wire. */
public enum Kind {
    /** One-way message: acknowledged, never answered. */
    CAST,
    /** Request that expects exactly one {@link #REPLY}. */
    CALL,
    /** The answer to a {@link #CALL}, matched by {@code correlationId}. */
    REPLY,
    /**
     * A monitored {@link #CALL}'s server is still working on it: sent on the reply path while the
     * call runs, only to a caller that asked for it ({@code monitor}), matched by {@code correlationId}.
     */
    HEARTBEAT,
    /**
     * A notification for one listener pool, sent over ZeroMQ to one member of the pool:
     * {@code topic} is the notification topic, {@code namespace} the pool. Acknowledged like a
     * {@link #CAST}, never answered.
     */
    NOTIFY;

    /** Whether this kind travels back to a caller (a REPLY or a HEARTBEAT), not to an endpoint. */
    public boolean answersACall() {
        return this == REPLY || this == HEARTBEAT;
    }
}
