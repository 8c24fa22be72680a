package io.meshrpc.transport;

import java.util.concurrent.CompletableFuture;

/**
 * How a transport tells the end of one send, without a future per message: what the router passes
 * to {@link Transport#send(Route, OutboundMessage, SendListener)}. A transport tells it exactly
 * once, on whichever thread learns the outcome (for ZeroMQ its I/O thread), so it must neither block
 * nor throw.
 */
@FunctionalInterface
public interface SendListener {

    /**
     * The send ended: {@code failure} is null when the message is the receiver's (ZeroMQ: its ACK)
     * or the broker's (its confirm), else why not, usually a {@link io.meshrpc.api.NoRouteException}
     * whose reason says so.
     */
    void sent(Throwable failure);

    /** A listener that completes {@code future} as the send ends. */
    static SendListener completing(CompletableFuture<Void> future) {
        return failure -> {
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        };
    }
}
