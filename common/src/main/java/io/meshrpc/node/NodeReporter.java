package io.meshrpc.node;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.NodeReport.Dedup;
import io.meshrpc.node.NodeReport.MatchmakerView;
import io.meshrpc.node.NodeReport.Overrides;
import io.meshrpc.node.NodeReport.Peer;
import io.meshrpc.node.NodeReport.Policies;
import io.meshrpc.node.NodeReport.Queues;
import io.meshrpc.node.NodeReport.Resolved;
import io.meshrpc.internal.routing.DeliveryRouter;
import io.meshrpc.internal.routing.PeerHealth;
import io.meshrpc.internal.routing.PolicyResolver;
import io.meshrpc.internal.server.Dispatcher;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;
import io.meshrpc.transport.amqp.AmqpTransport;
import io.meshrpc.transport.zmq.ZmqTransport;
import io.micrometer.core.instrument.Counter;

/**
 * Assembles a {@link NodeReport} from the node's parts, which only the node holds: the one place
 * that reads across them, so nothing outside the node needs to.
 */
final class NodeReporter {

    /** How long a report waits for the ZeroMQ I/O thread to copy its connection table. */
    private static final Duration PEER_SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    /** The parts of a started node a report reads; the dispatcher and topics exist from start. */
    /** @param suspectAfter how long a connection with messages waiting may go without an ACK before its peer is suspect */
    record Parts(String nodeId, String endpoint, Transport direct, ZmqTransport zmq, AmqpTransport amqp,
                 DeliveryRouter router, Dispatcher dispatcher, Set<String> topics, Matchmaker matchmaker,
                 RpcMetrics metrics, Duration suspectAfter) {
    }

    private NodeReporter() {
    }

    static NodeReport report(Parts parts, MeshNode.State state, String stateReason) {
        Map<String, Object> transports = new LinkedHashMap<>();
        Map<String, Object> direct = new LinkedHashMap<>();
        direct.put("endpoint", parts.endpoint());
        direct.put("running", parts.direct().isRunning());
        if (parts.zmq() != null) {
            direct.put("peersHighWaterMark", parts.zmq().peersHighWaterMark());
        }
        transports.put(TransportName.ZMQ.tag(), direct);
        AmqpTransport amqp = parts.amqp();
        transports.put(TransportName.AMQP.tag(), amqp == null ? Map.of("enabled", false)
                : Map.of("enabled", true, "running", amqp.isRunning()));
        List<Peer> peers = peers(parts, direct);
        Dispatcher dispatcher = parts.dispatcher();
        Queues queues = new Queues(dispatcher == null ? null : dispatcher.queueDepth(),
                dispatcher == null ? null : dispatcher.oldestQueuedAge().toMillis(),
                amqp == null ? null : amqp.pendingConfirms());
        Dedup dedup = dispatcher == null ? null
                : new Dedup(dispatcher.dedupWindow().size(), dispatcher.dedupWindow().capacity());
        Matchmaker matchmaker = parts.matchmaker();
        MatchmakerView directory = new MatchmakerView(matchmaker.getClass().getSimpleName(), matchmaker.isRegistered(),
                matchmaker.cacheAge().map(Duration::toMillis).orElse(null), new TreeMap<>(matchmaker.viewRevisions()));
        return new NodeReport(parts.nodeId(), state.value(), stateReason, transports, policies(parts), peers, traffic(parts.metrics()),
                queues, dedup, directory);
    }

    private static Policies policies(Parts parts) {
        PolicyResolver policies = parts.router().policies();
        Map<String, Resolved> served = new TreeMap<>();
        for (String topic : parts.topics()) {
            PolicyResolver.Resolved r = policies.resolve(topic, parts.nodeId());
            served.put(topic, new Resolved(r.policy().wireName(), r.source()));
        }
        Matchmaker.PolicyOverrides fromMatchmaker = parts.matchmaker().policyOverrides();
        return new Policies(policies.defaultPolicy().wireName(), values(policies.configuredTopics()),
                new Overrides(values(policies.nodeOverrides()), values(policies.topicOverrides())),
                new Overrides(values(fromMatchmaker.nodes()), values(fromMatchmaker.topics())), served);
    }

    /**
     * The connections the ZeroMQ I/O thread holds (copied by that thread), joined with the peers
     * marked down; a down peer without a connection shows the endpoint the matchmaker knows.
     */
    private static List<Peer> peers(Parts parts, Map<String, Object> zmqView) {
        List<ZmqTransport.PeerSnapshot> connections = parts.zmq() == null ? List.of() : connections(parts.zmq(), zmqView);
        Map<String, PeerHealth.State> down = parts.router().health().downPeers();
        Map<String, Peer> byNode = new TreeMap<>();
        long now = System.currentTimeMillis();
        for (ZmqTransport.PeerSnapshot c : connections) {
            PeerHealth.State d = down.get(c.nodeId());
            String state = d != null ? "down" : c.lastAckMillis() == null ? "connecting"
                    : suspect(c, now, parts.suspectAfter()) ? "suspect" : "up";
            byNode.put(c.nodeId() + " " + c.endpoint(), new Peer(c.nodeId(), c.endpoint(), state, true,
                    instant(c.lastAckMillis()), c.pending(), c.awaitingReplies(),
                    d == null ? null : instant(d.downSinceMillis()), c.frameFormat()));
        }
        for (Map.Entry<String, PeerHealth.State> e : down.entrySet()) {
            boolean listed = connections.stream().anyMatch(c -> c.nodeId().equals(e.getKey()));
            if (!listed) {
                String endpoint = parts.matchmaker().node(e.getKey()).map(NodeRef::endpoint).orElse(null);
                byNode.put(e.getKey() + " ", new Peer(e.getKey(), endpoint, "down", false, null, 0, 0,
                        instant(e.getValue().downSinceMillis()), null));
            }
        }
        return new ArrayList<>(byNode.values());
    }

    /**
     * A peer whose connection has messages waiting for their ACK and has acknowledged nothing for longer than the
     * ZeroMQ heartbeat timeout: it may be cut off (a silent partition keeps the connection looking open). An idle
     * connection with an old last ACK is not suspect; nothing was asked of it.
     */
    private static boolean suspect(ZmqTransport.PeerSnapshot c, long nowMillis, Duration after) {
        return (c.pending() > 0 || c.awaitingReplies() > 0) && nowMillis - c.lastAckMillis() > after.toMillis();
    }

    private static List<ZmqTransport.PeerSnapshot> connections(ZmqTransport zmq, Map<String, Object> zmqView) {
        try {
            return zmq.peers().get(PEER_SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            zmqView.put("peersUnavailable", "interrupted");
        } catch (ExecutionException | TimeoutException ex) {
            zmqView.put("peersUnavailable", "the I/O thread did not answer within " + PEER_SNAPSHOT_TIMEOUT.toMillis()
                    + " ms; only peers marked down are listed");
        }
        return List.of();
    }

    private static String instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** Messages per transport and outcome, sent and received, and failovers per reason. */
    private static Map<String, Object> traffic(RpcMetrics metrics) {
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("sent", sumBy(metrics, RpcMetrics.SENT, "transport", "outcome"));
        traffic.put("received", sumBy(metrics, RpcMetrics.RECEIVED, "transport", "outcome"));
        traffic.put("failovers", sumBy(metrics, RpcMetrics.FAILOVERS, "reason", null));
        return traffic;
    }

    private static Map<String, Object> sumBy(RpcMetrics metrics, String meter, String firstTag, String secondTag) {
        Map<String, Object> out = new TreeMap<>();
        for (Counter c : metrics.registry().find(meter).counters()) {
            String first = c.getId().getTag(firstTag);
            if (secondTag == null) {
                out.merge(first, (long) c.count(), (a, b) -> (Long) a + (Long) b);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>) out.computeIfAbsent(first, k -> new TreeMap<>());
                inner.merge(c.getId().getTag(secondTag), (long) c.count(), (a, b) -> (Long) a + (Long) b);
            }
        }
        return out;
    }

    private static Map<String, String> values(Map<String, DeliveryPolicy> policies) {
        Map<String, String> out = new TreeMap<>();
        policies.forEach((k, v) -> out.put(k, v.wireName()));
        return out;
    }
}
