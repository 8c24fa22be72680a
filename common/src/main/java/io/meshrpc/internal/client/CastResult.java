package io.meshrpc.internal.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.meshrpc.api.Failures;
import io.meshrpc.internal.routing.DeliveryOutcome;
import io.meshrpc.transport.TransportName;

/**
 * The future of a cast, which the router completes itself: the caller's future is the router's
 * outcome, with no stage between them (one object and one completion less per cast). A path that
 * answers a future of its own (a fanout, retries) completes it through {@link #follow}. Being an
 * {@link RpcFuture}, the caller's dependents never run on the I/O thread that completes it.
 */
final class CastResult extends RpcFuture<Void> implements DeliveryOutcome {

    CastResult(Executor callbacks) {
        super(callbacks);
    }

    @Override
    public void delivered(TransportName transport) {
        complete(null);
    }

    @Override
    public void failed(Throwable error) {
        completeExceptionally(error);
    }

    /** Completes as {@code delivery} does. */
    void follow(CompletableFuture<?> delivery) {
        delivery.whenComplete((ok, error) -> {
            if (error == null) {
                complete(null);
            } else {
                completeExceptionally(Failures.unwrap(error));
            }
        });
    }
}
