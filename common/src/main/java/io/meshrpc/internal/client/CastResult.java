package io.meshrpc.internal.client;

import java.util.concurrent.Executor;

import io.meshrpc.internal.routing.DeliveryOutcome;
import io.meshrpc.transport.TransportName;

/**
 * The future of a cast, which the router completes itself: the caller's future is the router's
 * outcome, with no stage between them (one object and one completion less per cast).
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
}
