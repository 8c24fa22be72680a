package io.meshrpc.transport;

import java.util.concurrent.CompletableFuture;

import io.meshrpc.wire.EncodedEnvelope;

/**
 * A transport that reaches any node's replies by the node's id (the broker: its reply queue), so a
 * reply whose own path is gone can still get to its caller. Replies fail over too, or a caller
 * whose connection dropped after its call was accepted would wait for nothing until its deadline.
 */
public interface ReplyQueue {

    TransportName name();

    boolean isRunning();

    /** Sends {@code reply} to node {@code callerNodeId}'s reply queue; never blocks. */
    CompletableFuture<Void> sendReply(String callerNodeId, EncodedEnvelope reply);
}
