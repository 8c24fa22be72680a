package io.meshrpc.matchmaker.service.api;

import java.util.Map;

/**
 * Messages per transport summed over the {@code stats} of every live node ({@code {"sent":{"zmq":12},...}}):
 * cumulative since each node started, as the nodes report them.
 *
 * @param sent     messages sent per transport
 * @param received messages received per transport
 */
public record FleetTraffic(Map<String, Long> sent, Map<String, Long> received) {
}
