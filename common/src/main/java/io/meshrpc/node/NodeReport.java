package io.meshrpc.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a node does with its messages, at one moment: one immutable value, which the actuator
 * endpoint ({@code GET /actuator/meshrpc}) serves as it is.
 *
 * @param state       {@code new}, {@code registering}, {@code running}, {@code detached}, {@code draining},
 *                    {@code stopped} or {@code failed} ({@link MeshNode.State})
 * @param stateReason why the node is not running, in a sentence; null when it is
 * @param transports per transport tag: {@code zmq} with its endpoint, whether it runs and the most connections
 *                   it held at once ({@code peersHighWaterMark}); {@code amqp} with whether it is enabled and runs
 * @param peers      every node this one holds a ZeroMQ connection to, and every node marked down
 * @param traffic    messages sent and received per transport and outcome, failovers per reason
 * @param matchmaker the directory, whether it took this node's registration, its cache age and revisions
 */
public record NodeReport(String nodeId, String state, String stateReason, Map<String, Object> transports,
                         Policies policies,
                         List<Peer> peers, Map<String, Object> traffic, Queues queues, Dedup dedup,
                         MatchmakerView matchmaker) {

    /**
     * The delivery policies and where each comes from, most specific first: this node's overrides
     * ({@link RoutingAdmin}), the matchmaker's, {@code meshrpc.routing.topics},
     * {@code meshrpc.routing.default-policy}; for each served topic, the policy a message on it to
     * this node gets here, and its source.
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
     *                        yet), {@code suspect} (messages wait on the connection and nothing was ACKed for
     *                        longer than {@code meshrpc.zmq.heartbeat-timeout}: perhaps cut off), {@code down}
     *                        (missed an ACK; skipped by {@code zmq-first} until it answers)
     * @param connected       whether this node holds a ZeroMQ connection to it now
     * @param lastAck         when the last ACK came on the current connection (ISO-8601), null if none
     * @param pending         messages sent on the connection and not ACKed yet
     * @param awaitingReplies calls whose reply is still due on the connection
     * @param downSince       when it was marked down (ISO-8601), null unless down
     * @param frameFormat     the ZeroMQ frame format the connection sends in: 1 (one JSON envelope per
     *                        message) or 2 (batch frames, once the receiver answered in them); null without
     *                        a connection
     */
    public record Peer(String nodeId, String endpoint, String state, boolean connected, String lastAck, int pending,
                       int awaitingReplies, String downSince, Integer frameFormat) {
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

    /**
     * Whether the node's dispatch is stalled: the oldest accepted message has waited longer than the
     * threshold ({@code meshrpc.server.stall-threshold}). What the liveness health check reads.
     */
    public record Stall(boolean stalled, Duration oldestQueued, int queueDepth, Duration threshold) {
    }
}
