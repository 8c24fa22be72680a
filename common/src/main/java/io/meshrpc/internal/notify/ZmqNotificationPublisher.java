package io.meshrpc.internal.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Priority;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.Target;
import io.meshrpc.internal.routing.DeliveryRouter;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;

/**
 * Sends an event over ZeroMQ to one member of every pool of its topic that receives its priority:
 * round robin within a pool, members the node takes for down last, and on to the next member when
 * one does not acknowledge, so each pool that has a live member gets the event at least once. The
 * members' pool dedup windows catch what a late acknowledgement sends twice to the same member.
 *
 * <p>The pools are sent to one after the other: the same event (one id) may go to one node for two of
 * its pools, and a ZeroMQ sender keeps one acknowledgement per id and peer.
 */
public final class ZmqNotificationPublisher {

    /** The longest pool name: an event that fits with it fits with every pool's. */
    private static final String LONGEST_POOL = "p".repeat(64);

    private final ListenerDirectory directory;
    private final DeliveryRouter router;
    private final EnvelopeCodec codec;
    /** Per notification topic (a few per fleet), where the next event starts in each pool's members. */
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    /** @param client asks listener nodes for their pools */
    public ZmqNotificationPublisher(Matchmaker matchmaker, RpcClient client, DeliveryRouter router,
                                    EnvelopeCodec codec) {
        this(new ListenerDirectory(matchmaker, client, System::nanoTime), router, codec);
    }

    ZmqNotificationPublisher(ListenerDirectory directory, DeliveryRouter router, EnvelopeCodec codec) {
        this.directory = directory;
        this.router = router;
        this.codec = codec;
    }

    /**
     * Sends {@code event} (its arguments already a JSON tree) to every pool of its topic that receives
     * {@code priority}; completes when each pool's member acknowledged it, or fails naming the pools no
     * member took it for. An event no pool takes completes at once: it is dropped, as on the broker.
     *
     * @throws io.meshrpc.api.MessageTooLargeException before anything is sent, if the event is over the limit
     */
    CompletableFuture<Void> publish(Envelope event, Priority priority) {
        codec.encodeEnvelope(NotificationMessage.forPool(event, LONGEST_POOL)); // the size, checked once
        int turn = roundRobin.computeIfAbsent(event.topic(), t -> new AtomicInteger()).getAndIncrement();
        return directory.pools(event.topic(), priority).thenCompose(pools -> {
            List<String> names = new ArrayList<>(pools.keySet());
            List<CompletableFuture<Void>> sends = new ArrayList<>(names.size());
            CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
            for (String pool : names) {
                CompletableFuture<Void> send = previous.handle((ok, error) -> null)
                        .thenCompose(go -> toPool(event, pool, pools.get(pool), turn));
                sends.add(send);
                previous = send;
            }
            return previous.handle((ok, error) -> failedPools(event, names, sends));
        }).thenCompose(failure -> failure == null ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(failure));
    }

    private CompletableFuture<Void> toPool(Envelope event, String pool, List<NodeRef> members, int turn) {
        OutboundMessage message = new OutboundMessage(codec.encodeEnvelope(NotificationMessage.forPool(event, pool)));
        CompletableFuture<Void> result = new CompletableFuture<>();
        tryMember(message, inOrder(members, turn), 0, null, result);
        return result;
    }

    /** The members from this event's turn on, those the node takes for down at the end. */
    private List<NodeRef> inOrder(List<NodeRef> members, int turn) {
        int start = Math.floorMod(turn, members.size());
        List<NodeRef> live = new ArrayList<>(members.size());
        List<NodeRef> down = new ArrayList<>(0);
        for (int i = 0; i < members.size(); i++) {
            NodeRef member = members.get((start + i) % members.size());
            (router.health().isDown(member.nodeId()) ? down : live).add(member);
        }
        live.addAll(down);
        return live;
    }

    private void tryMember(OutboundMessage message, List<NodeRef> members, int tried, Throwable lastError,
                           CompletableFuture<Void> result) {
        if (tried == members.size()) {
            result.completeExceptionally(lastError);
            return;
        }
        NodeRef member = members.get(tried);
        router.deliver(Target.topic(ListenerDirectory.TOPIC).server(member.nodeId()), message, DeliveryPolicy.ZMQ)
                .whenComplete((transport, error) -> {
                    if (error == null) {
                        result.complete(null);
                        return;
                    }
                    Throwable cause = Failures.unwrap(error);
                    if (leftThePool(cause)) {
                        directory.forget(member.nodeId()); // it restarted with other pools: ask it again
                    }
                    tryMember(message, members, tried + 1, cause, result);
                });
    }

    private static boolean leftThePool(Throwable error) {
        return error instanceof NoRouteException refused && refused.reason() == NoRouteException.Reason.REFUSED
                && String.valueOf(refused.getMessage()).contains(Acceptance.UNKNOWN_TOPIC.errorType());
    }

    private static NoRouteException failedPools(Envelope event, List<String> names,
                                                List<CompletableFuture<Void>> sends) {
        StringBuilder why = null;
        for (int i = 0; i < sends.size(); i++) {
            Throwable cause = sends.get(i).handle((ok, error) -> error).join();
            if (cause == null) {
                continue;
            }
            why = why == null ? new StringBuilder() : why.append("; ");
            why.append("pool '").append(names.get(i)).append("': ").append(Failures.unwrap(cause).getMessage());
        }
        return why == null ? null : new NoRouteException(NoRouteException.Reason.NO_NODES, "Notification "
                + event.id() + " of topic '" + event.topic() + "' reached no member of " + why);
    }
}
