package io.meshrpc.internal.routing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * Decides the delivery policy of a message to one node, most specific first: an override set on
 * this node's actuator endpoint (for the node, then for the topic), then the matchmaker's (which
 * resolves its own node and topic overrides), then {@code meshrpc.routing.topics.<topic>}, then
 * {@code meshrpc.routing.default-policy}.
 *
 * <p>Local overrides win over the matchmaker's so an operator can act on one sender even while the
 * matchmaker is unreachable. Look-ups are map reads: this runs for every message.
 */
public final class PolicyResolver {

    /** A policy and where it came from, for the actuator endpoint. */
    public record Resolved(DeliveryPolicy policy, String source) {
    }

    private final DeliveryPolicy defaultPolicy;
    private final Map<String, DeliveryPolicy> configuredTopics;
    /** The answers that do not change, made once: this runs for every message and should not allocate. */
    private final Resolved byDefault;
    private final Map<String, Resolved> byConfiguredTopic;
    private final Matchmaker matchmaker;
    private final Map<String, DeliveryPolicy> nodeOverrides = new ConcurrentHashMap<>();
    private final Map<String, DeliveryPolicy> topicOverrides = new ConcurrentHashMap<>();

    public PolicyResolver(DeliveryPolicy defaultPolicy, Map<String, DeliveryPolicy> configuredTopics,
                          Matchmaker matchmaker) {
        this.defaultPolicy = defaultPolicy;
        this.configuredTopics = Map.copyOf(configuredTopics);
        this.matchmaker = matchmaker;
        this.byDefault = new Resolved(defaultPolicy, "meshrpc.routing.default-policy");
        Map<String, Resolved> configured = new java.util.HashMap<>();
        this.configuredTopics.forEach((topic, policy) ->
                configured.put(topic, new Resolved(policy, "meshrpc.routing.topics." + topic)));
        this.byConfiguredTopic = Map.copyOf(configured);
    }

    /** The policy for a message on {@code topic} to {@code nodeId} (null when no node is chosen yet). */
    public DeliveryPolicy policy(String topic, String nodeId) {
        return resolve(topic, nodeId).policy();
    }

    public Resolved resolve(String topic, String nodeId) {
        DeliveryPolicy p = nodeId == null ? null : nodeOverrides.get(nodeId);
        if (p != null) {
            return new Resolved(p, "override:node");
        }
        p = topicOverrides.get(topic);
        if (p != null) {
            return new Resolved(p, "override:topic");
        }
        Optional<DeliveryPolicy> fromMatchmaker = matchmaker.policy(nodeId, topic);
        if (fromMatchmaker.isPresent()) {
            return new Resolved(fromMatchmaker.get(), "matchmaker");
        }
        Resolved configured = byConfiguredTopic.get(topic);
        return configured != null ? configured : byDefault;
    }

    public DeliveryPolicy defaultPolicy() {
        return defaultPolicy;
    }

    public Map<String, DeliveryPolicy> configuredTopics() {
        return configuredTopics;
    }

    public Map<String, DeliveryPolicy> nodeOverrides() {
        return Map.copyOf(nodeOverrides);
    }

    public Map<String, DeliveryPolicy> topicOverrides() {
        return Map.copyOf(topicOverrides);
    }

    /** Sets (or, with null, removes) this sender's override for one node. */
    public void overrideNode(String nodeId, DeliveryPolicy policy) {
        set(nodeOverrides, nodeId, policy);
    }

    /** Sets (or, with null, removes) this sender's override for one topic. */
    public void overrideTopic(String topic, DeliveryPolicy policy) {
        set(topicOverrides, topic, policy);
    }

    private static void set(Map<String, DeliveryPolicy> map, String key, DeliveryPolicy policy) {
        if (policy == null) {
            map.remove(key);
        } else {
            map.put(key, policy);
        }
    }
}
