package io.meshrpc.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.routing.PeerHealth;
import io.meshrpc.routing.PolicyResolver;
import io.meshrpc.server.Dispatcher;
import io.meshrpc.transport.TransportName;
import io.meshrpc.transport.amqp.AmqpTransport;
import io.meshrpc.transport.zmq.ZmqTransport;
import io.micrometer.core.instrument.Counter;

/**
 * {@code /actuator/meshrpc}: what this node does with its messages, and the operator's lever on it.
 *
 * <p>{@code GET} shows the node's state, its transports, the delivery policies and where each
 * comes from, every ZeroMQ peer (connected or marked down) with its state, last ACK and un-ACKed
 * count, the counts per path, the queues (dispatch, broker confirms), the dedup window and the
 * matchmaker's registration and cache age. {@code POST /actuator/meshrpc/topics/{topic}}
 * (or {@code nodes/{nodeId}}) with {@code {"policy":"zmq-first"}} overrides a policy on this node at
 * once; {@code DELETE} on the same path removes the override. Fleet-wide changes belong in the
 * matchmaker; this is for one sender, and works while the matchmaker is down.
 */
@Endpoint(id = "meshrpc")
public class MeshrpcEndpoint {

    private final MeshNode node;

    public MeshrpcEndpoint(MeshNode node) {
        this.node = node;
    }

    /** How long {@code GET} waits for the ZeroMQ I/O thread to copy its connection table. */
    private static final Duration PEER_SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * The whole report.
     *
     * @param state       {@code new}, {@code registering}, {@code running}, {@code draining}, {@code stopped}
     *                    or {@code failed} ({@link MeshNode.State})
     * @param peers       every node this one holds a ZeroMQ connection to, and every node marked down
     * @param matchmaker  the directory, whether it took this node's registration, its cache age and revisions
     */
    public record Report(String nodeId, String state, Map<String, Object> transports, Policies policies,
                         List<Peer> peers, Map<String, Object> traffic, Queues queues, Dedup dedup,
                         MatchmakerView matchmaker) {
    }

    /**
     * The delivery policies and where each comes from, most specific first: this node's overrides
     * (set on this endpoint), the matchmaker's, {@code meshrpc.routing.topics},
     * {@code meshrpc.routing.default-policy}; for each served topic, the policy a message on it to this
     * node gets here, and its source.
     */
    public record Policies(String defaultPolicy, Map<String, String> configuredTopics, Overrides overrides,
                           Overrides matchmaker, Map<String, Resolved> servedTopics) {
    }

    /** Overrides per node id and per topic. */
    public record Overrides(Map<String, String> nodes, Map<String, String> topics) {
    }

    /** A policy and where it comes from ({@code override:node}, {@code override:topic}, {@code matchmaker}, a property). */
    public record Resolved(String policy, String source) {
    }

    /**
     * One peer.
     *
     * @param state           {@code up} (ACKed on its connection), {@code connecting} (connection open, no ACK
     *                        yet), {@code down} (missed an ACK; skipped by {@code zmq-first} until it answers)
     * @param connected       whether this node holds a ZeroMQ connection to it now
     * @param lastAck         when the last ACK came on the current connection (ISO-8601), null if none
     * @param pending         messages sent on the connection and not ACKed yet
     * @param awaitingReplies calls whose reply is still due on the connection
     * @param downSince       when it was marked down (ISO-8601), null unless down
     */
    public record Peer(String nodeId, String endpoint, String state, boolean connected, String lastAck, int pending,
                       int awaitingReplies, String downSince) {
    }

    /**
     * Messages waiting: accepted and not yet picked up by a worker (and how long the oldest has
     * waited), and publishes the broker has not confirmed yet (null without a broker).
     */
    public record Queues(Integer dispatchQueueDepth, Long dispatchOldestQueuedMillis, Integer brokerPendingConfirms) {
    }

    /** The window of recently accepted envelope ids: ids held now, and the most it holds. */
    public record Dedup(int size, int capacity) {
    }

    /**
     * The directory: its kind, whether it took this node's registration, how long the view this node
     * routes by has not been known current (null for directories without a cache: ring file, static,
     * in-memory), and the registry revision it holds per watched topic (empty unless it watches one):
     * a policy written with revision R is in force here for a topic at R or more.
     */
    public record MatchmakerView(String type, boolean registered, Long cacheAgeMillis, Map<String, Long> revisions) {
    }

    /** The result of a policy change. */
    public record PolicyChange(String scope, String name, String policy) {
    }

    @ReadOperation
    public Report report() {
        Map<String, Object> transports = new LinkedHashMap<>();
        Map<String, Object> zmq = new LinkedHashMap<>();
        zmq.put("endpoint", node.endpoint());
        zmq.put("running", node.zmq().isRunning());
        transports.put(TransportName.ZMQ.tag(), zmq);
        AmqpTransport amqp = node.amqp();
        transports.put(TransportName.AMQP.tag(), amqp == null ? Map.of("enabled", false)
                : Map.of("enabled", true, "running", amqp.isRunning()));
        List<Peer> peers = peers(zmq);
        Dispatcher dispatcher = node.dispatcher();
        Queues queues = new Queues(dispatcher == null ? null : dispatcher.queueDepth(),
                dispatcher == null ? null : dispatcher.oldestQueuedAge().toMillis(),
                amqp == null ? null : amqp.pendingConfirms());
        Dedup dedup = dispatcher == null ? null
                : new Dedup(dispatcher.dedupWindow().size(), dispatcher.dedupWindow().capacity());
        Matchmaker matchmaker = node.matchmaker();
        MatchmakerView directory = new MatchmakerView(matchmaker.getClass().getSimpleName(), matchmaker.isRegistered(),
                matchmaker.cacheAge().map(Duration::toMillis).orElse(null), new TreeMap<>(matchmaker.viewRevisions()));
        return new Report(node.nodeId(), node.state().value(), transports, policies(), peers, traffic(), queues, dedup,
                directory);
    }

    private Policies policies() {
        PolicyResolver policies = node.router().policies();
        Map<String, Resolved> served = new TreeMap<>();
        if (node.endpoints() != null) {
            for (String topic : node.endpoints().topics()) {
                PolicyResolver.Resolved r = policies.resolve(topic, node.nodeId());
                served.put(topic, new Resolved(r.policy().wireName(), r.source()));
            }
        }
        Matchmaker.PolicyOverrides fromMatchmaker = node.matchmaker().policyOverrides();
        return new Policies(policies.defaultPolicy().wireName(), values(policies.configuredTopics()),
                new Overrides(values(policies.nodeOverrides()), values(policies.topicOverrides())),
                new Overrides(values(fromMatchmaker.nodes()), values(fromMatchmaker.topics())), served);
    }

    /**
     * The connections the ZeroMQ I/O thread holds (copied by that thread), joined with the peers
     * marked down; a down peer without a connection shows the endpoint the matchmaker knows.
     */
    private List<Peer> peers(Map<String, Object> zmqView) {
        List<ZmqTransport.PeerSnapshot> connections;
        try {
            connections = node.zmq().peers().get(PEER_SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            connections = List.of();
            zmqView.put("peersUnavailable", "interrupted");
        } catch (ExecutionException | TimeoutException ex) {
            connections = List.of();
            zmqView.put("peersUnavailable", "the I/O thread did not answer within " + PEER_SNAPSHOT_TIMEOUT.toMillis()
                    + " ms; only peers marked down are listed");
        }
        Map<String, PeerHealth.State> down = node.router().health().downPeers();
        Map<String, Peer> byNode = new TreeMap<>();
        for (ZmqTransport.PeerSnapshot c : connections) {
            PeerHealth.State d = down.get(c.nodeId());
            String state = d != null ? "down" : c.lastAckMillis() != null ? "up" : "connecting";
            byNode.put(c.nodeId() + " " + c.endpoint(), new Peer(c.nodeId(), c.endpoint(), state, true,
                    instant(c.lastAckMillis()), c.pending(), c.awaitingReplies(),
                    d == null ? null : instant(d.downSinceMillis())));
        }
        for (Map.Entry<String, PeerHealth.State> e : down.entrySet()) {
            boolean listed = connections.stream().anyMatch(c -> c.nodeId().equals(e.getKey()));
            if (!listed) {
                String endpoint = node.matchmaker().node(e.getKey()).map(NodeRef::endpoint).orElse(null);
                byNode.put(e.getKey() + " ", new Peer(e.getKey(), endpoint, "down", false, null, 0, 0,
                        instant(e.getValue().downSinceMillis())));
            }
        }
        return new ArrayList<>(byNode.values());
    }

    private static String instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    @WriteOperation
    public PolicyChange setPolicy(@Selector String scope, @Selector String name, String policy) {
        DeliveryPolicy parsed;
        try {
            parsed = DeliveryPolicy.of(policy);
        } catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), "bad policy");
        }
        apply(scope, name, parsed);
        return new PolicyChange(scope, name, parsed.wireName());
    }

    @DeleteOperation
    public PolicyChange clearPolicy(@Selector String scope, @Selector String name) {
        apply(scope, name, null);
        return new PolicyChange(scope, name, null);
    }

    private void apply(String scope, String name, DeliveryPolicy policy) {
        PolicyResolver policies = node.router().policies();
        switch (scope) {
            case "topics" -> policies.overrideTopic(name, policy);
            case "nodes" -> policies.overrideNode(name, policy);
            default -> throw new InvalidEndpointRequestException("Unknown scope '" + scope
                    + "': use /actuator/meshrpc/topics/{topic} or /actuator/meshrpc/nodes/{nodeId}", "bad scope");
        }
    }

    /** Messages per transport and outcome, sent and received, and failovers per reason. */
    private Map<String, Object> traffic() {
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("sent", sumBy(RpcMetrics.SENT, "transport", "outcome"));
        traffic.put("received", sumBy(RpcMetrics.RECEIVED, "transport", "outcome"));
        traffic.put("failovers", sumBy(RpcMetrics.FAILOVERS, "reason", null));
        return traffic;
    }

    private Map<String, Object> sumBy(String meter, String firstTag, String secondTag) {
        Map<String, Object> out = new TreeMap<>();
        for (Counter c : node.metrics().registry().find(meter).counters()) {
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
