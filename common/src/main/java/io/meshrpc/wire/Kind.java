package io.meshrpc.wire;

/** The three kinds of envelope on the wire. */
public enum Kind {
    /** One-way message: acknowledged, never answered. */
    CAST,
    /** Request that expects exactly one {@link #REPLY}. */
    CALL,
    /** The answer to a {@link #CALL}, matched by {@code correlationId}. */
    REPLY
}
