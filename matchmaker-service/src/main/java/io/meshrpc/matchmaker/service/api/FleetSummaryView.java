package io.meshrpc.matchmaker.service.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/fleet/summary}: the fleet in numbers, for dashboards. Computed at most about once a second
 * and shared by every caller meanwhile ({@link FleetSummaryCache}).
 *
 * @param revision the registry's revision the summary reflects (at least): membership and policies; stats move
 *                 no revision
 * @param time     the matchmaker's clock when the summary was computed
 * @param nodes    live nodes
 * @param zmqLive  live nodes that receive on ZeroMQ
 * @param policies live nodes per policy in force ({@code zmq}, {@code amqp}, {@code zmq-first}, {@code none}); a
 *                 node counts once under each policy in force on any of its topics, so a node whose topics run
 *                 under different policies counts under each of them
 * @param topics   every topic with a live node or an override, by name
 * @param traffic  messages per transport summed over the nodes' {@code stats}
 */
public record FleetSummaryView(long revision, Instant time, int nodes, int zmqLive, Map<String, Integer> policies,
                               List<FleetTopicSummary> topics, FleetTraffic traffic) {
}
