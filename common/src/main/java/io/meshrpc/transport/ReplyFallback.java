package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;

/**
 * Where a reply goes when the transport its call came on can no longer carry it (ZeroMQ: the
 * caller's connection is gone). Replies fail over too, or a caller whose connection dropped after
 * its call was accepted would wait for nothing until its deadline.
 */
@FunctionalInterface
public interface ReplyFallback {

    /** Never delivers: for nodes with one transport. */
    ReplyFallback NONE = (caller, reply, encoded) -> false;

    /**
     * Sends {@code reply} to node {@code callerNodeId} another way; returns whether it was handed
     * over. Called on an I/O thread, so it must not block.
     */
    boolean send(String callerNodeId, Envelope reply, byte[] encoded);
}
