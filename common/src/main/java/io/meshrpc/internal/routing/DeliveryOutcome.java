package io.meshrpc.internal.routing;

import java.util.concurrent.CompletableFuture;

import io.meshrpc.transport.TransportName;

/**
 * Where the router reports how one message went: the transport that took it, or why none did. A
 * sender that keeps its own future completes it here, without a stage of the router's own between
 * the transport's acknowledgement and the caller (every cast passes this way).
 */
public interface DeliveryOutcome {

    /** A transport took the message (the receiver acknowledged it, or the broker confirmed it). */
    void delivered(TransportName transport);

    /** No path took it; {@code error} is unwrapped, usually a {@link io.meshrpc.api.NoRouteException}. */
    void failed(Throwable error);

    /** An outcome that completes {@code future}. */
    static DeliveryOutcome completing(CompletableFuture<TransportName> future) {
        return new DeliveryOutcome() {
            @Override
            public void delivered(TransportName transport) {
                future.complete(transport);
            }

            @Override
            public void failed(Throwable error) {
                future.completeExceptionally(error);
            }
        };
    }
}
