package io.meshrpc.transport;

import java.util.concurrent.CompletableFuture;

import io.meshrpc.wire.EncodedEnvelope;

/**
 * How the reply to one received call travels back to its caller. Each transport supplies its own
 * (ZeroMQ: the same connection the call came on; the broker: the caller's reply queue), so the
 * dispatcher stays transport-agnostic.
 */
@FunctionalInterface
public interface ReplyChannel {

    /**
     * Sends a reply, in the encoding this path uses. Called from a dispatch worker, never from an I/O thread; must not
     * block. The future completes when the transport sent it (the broker: confirmed it), or fails
     * with a {@link io.meshrpc.api.NoRouteException} when this path cannot carry it, e.g. the
     * caller's ZeroMQ connection is gone; the node then tries the caller's {@link ReplyQueue}.
     */
    CompletableFuture<Void> send(EncodedEnvelope reply);
}
