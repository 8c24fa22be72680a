package io.meshrpc.internal.notify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.meshrpc.metrics.ReceivedOutcome;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.ReplyChannel;
import io.meshrpc.transport.RequestHandler;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;

/**
 * The node's request handler when notifications can arrive over ZeroMQ: a NOTIFY goes to the
 * listener pool it names, everything else to the dispatcher. A NOTIFY for a pool this node is not a
 * member of is refused as an unknown topic, so its publisher tries another member of that pool; one
 * addressed to another node is refused as the dispatcher refuses a request; and one that came through
 * the broker (where notifications travel as CASTs to pool queues) is refused as an unknown topic.
 */
public final class NotificationReceiver implements RequestHandler {

    private final String nodeId;
    private final RequestHandler requests;
    private final RpcMetrics metrics;
    private final NotificationDispatcher notifications;
    /** Topic and pool ({@link #key}) to the subscription's index. */
    private final Map<String, Integer> pools;

    /** @param notifications the node's listener pools, or null when it has none */
    public NotificationReceiver(String nodeId, RequestHandler requests, NotificationDispatcher notifications,
                                RpcMetrics metrics) {
        this.nodeId = nodeId;
        this.requests = requests;
        this.metrics = metrics;
        this.notifications = notifications;
        Map<String, Integer> byPool = new HashMap<>();
        List<Subscription> subscriptions = notifications == null ? List.of() : notifications.subscriptions();
        for (int i = 0; i < subscriptions.size(); i++) {
            byPool.put(key(subscriptions.get(i).topic(), subscriptions.get(i).pool()), i);
        }
        this.pools = Map.copyOf(byPool);
    }

    @Override
    public Acceptance accept(Envelope request, TransportName transport, ReplyChannel replyChannel) {
        if (request.kind() != Kind.NOTIFY) {
            return requests.accept(request, transport, replyChannel);
        }
        if (request.server() != null && !request.server().equals(nodeId)) {
            return refused(transport, Acceptance.WRONG_NODE);
        }
        Integer subscription = transport == TransportName.ZMQ ? pools.get(key(request.topic(), request.namespace()))
                : null;
        if (subscription == null) {
            return refused(transport, Acceptance.UNKNOWN_TOPIC);
        }
        return notifications.accept(subscription, request, transport);
    }

    private Acceptance refused(TransportName transport, Acceptance why) {
        metrics.received(transport, Kind.NOTIFY.name(), RpcMetrics.UNKNOWN_TOPIC, ReceivedOutcome.REJECTED);
        return why;
    }

    @Override
    public void rejected(TransportName transport, String reason) {
        requests.rejected(transport, reason);
    }

    private static String key(String topic, String pool) {
        return topic + '\u0000' + pool;
    }
}
