package io.meshrpc.node;

import java.time.Duration;
import java.util.Map;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * The configured delivery policies ({@code meshrpc.routing.*}).
 *
 * @param defaultPolicy      policy of targets nothing more specific names
 * @param topics             policy per topic
 * @param peerRetryInterval  how often a peer marked down is probed with one real message
 */
public record RoutingSettings(DeliveryPolicy defaultPolicy, Map<String, DeliveryPolicy> topics,
                              Duration peerRetryInterval) {

    public static final Duration DEFAULT_PEER_RETRY_INTERVAL = Duration.ofSeconds(5);

    public RoutingSettings {
        topics = topics == null ? Map.of() : Map.copyOf(topics);
        peerRetryInterval = peerRetryInterval == null ? DEFAULT_PEER_RETRY_INTERVAL : peerRetryInterval;
    }

    /** Every target by {@code policy}. */
    public static RoutingSettings of(DeliveryPolicy policy) {
        return new RoutingSettings(policy, Map.of(), DEFAULT_PEER_RETRY_INTERVAL);
    }
}
