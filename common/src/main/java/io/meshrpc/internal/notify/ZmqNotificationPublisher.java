package io.meshrpc.internal.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Target;
import io.meshrpc.internal.routing.DeliveryRouter;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;

/**
 * Sends an event over ZeroMQ to one member of every pool of its topic: round robin within a pool,
 * and on to the next member when one does not acknowledge, so each pool that has a live member gets
 * the event at least once. The members' pool dedup windows catch what a late acknowledgement sends
 * twice to the same member.
 */
final class ZmqNotificationPublisher {

    private final ListenerDirectory directory;
    private final DeliveryRouter router;
    private final EnvelopeCodec codec;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    ZmqNotificationPublisher(ListenerDirectory directory, DeliveryRouter router, EnvelopeCodec codec) {
        this.directory = directory;
        this.router = router;
        this.codec = codec;
    }

    /**
     * Sends {@code event} (its arguments already a JSON tree) to every pool of its topic; completes
     * when each pool's member acknowledged it, or fails naming the pools no member took it for. An
     * event no pool listens to completes at once: it is dropped, as on the broker.
     */
    CompletableFuture<Void> publish(Envelope event) {
        return directory.pools(event.topic()).thenCompose(pools -> {
            List<String> names = new ArrayList<>(pools.keySet());
            List<CompletableFuture<Void>> sends = new ArrayList<>(names.size());
            for (String pool : names) {
                sends.add(toPool(event, pool, pools.get(pool)));
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .handle((ok, error) -> failedPools(event, names, sends));
        }).thenCompose(failure -> failure == null ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(failure));
    }

    private CompletableFuture<Void> toPool(Envelope event, String pool, List<NodeRef> members) {
        OutboundMessage message = new OutboundMessage(codec.encodeEnvelope(NotificationMessage.forPool(event, pool)));
        int start = Math.floorMod(roundRobin.computeIfAbsent(event.topic() + '\u0000' + pool,
                k -> new AtomicInteger()).getAndIncrement(), members.size());
        CompletableFuture<Void> result = new CompletableFuture<>();
        tryMember(message, members, start, 0, null, result);
        return result;
    }

    private void tryMember(OutboundMessage message, List<NodeRef> members, int start, int tried, Throwable lastError,
                           CompletableFuture<Void> result) {
        if (tried == members.size()) {
            result.completeExceptionally(lastError);
            return;
        }
        NodeRef member = members.get((start + tried) % members.size());
        router.deliver(Target.topic(ListenerDirectory.TOPIC).server(member.nodeId()), message, DeliveryPolicy.ZMQ)
                .whenComplete((transport, error) -> {
                    if (error == null) {
                        result.complete(null);
                        return;
                    }
                    if (Failures.unwrap(error) instanceof NoRouteException refused
                            && refused.reason() == NoRouteException.Reason.REFUSED) {
                        directory.forget(member.nodeId()); // it left the pool it named: ask it again next time
                    }
                    tryMember(message, members, start, tried + 1, Failures.unwrap(error), result);
                });
    }

    private static NoRouteException failedPools(Envelope event, List<String> names, List<CompletableFuture<Void>> sends) {
        StringBuilder why = null;
        for (int i = 0; i < sends.size(); i++) {
            if (!sends.get(i).isCompletedExceptionally()) {
                continue;
            }
            Throwable cause = Failures.unwrap(sends.get(i).handle((ok, error) -> error).join());
            why = why == null ? new StringBuilder() : why.append("; ");
            why.append("pool '").append(names.get(i)).append("': ").append(cause.getMessage());
        }
        return why == null ? null : new NoRouteException(NoRouteException.Reason.NO_NODES, "Notification "
                + event.id() + " of topic '" + event.topic() + "' reached no member of " + why);
    }
}
