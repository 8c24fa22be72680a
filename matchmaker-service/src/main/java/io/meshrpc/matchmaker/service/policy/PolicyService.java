package io.meshrpc.matchmaker.service.policy;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Delivery-policy overrides held by the matchmaker and the rule that picks the one in force:
 * a node override wins over a topic override (DESIGN §5). Where the matchmaker holds neither, the node's own
 * configuration ({@code meshrpc.routing.*}) decides, so "no override" is reported as absent, not as a default.
 */
public class PolicyService {

    private final PolicyStore store;

    public PolicyService(PolicyStore store) {
        this.store = store;
    }

    public Optional<DeliveryPolicy> get(PolicyScope scope, String key) {
        return store.get(scope, key);
    }

    /** Sets an override; returns the one it replaced. */
    public Optional<DeliveryPolicy> set(PolicyScope scope, String key, DeliveryPolicy policy) {
        return store.put(scope, key, policy);
    }

    public Optional<DeliveryPolicy> remove(PolicyScope scope, String key) {
        return store.remove(scope, key);
    }

    public Map<String, DeliveryPolicy> all(PolicyScope scope) {
        return store.all(scope);
    }

    /** The override in force for one node on one topic: the node's, else the topic's, else none. */
    public Optional<DeliveryPolicy> inForce(String nodeId, String topic) {
        Optional<DeliveryPolicy> node = store.get(PolicyScope.NODE, nodeId);
        return node.isPresent() ? node : store.get(PolicyScope.TOPIC, topic);
    }

    /** The overrides in force for a node on each of its topics; topics without one are left out. */
    public Map<String, DeliveryPolicy> inForce(String nodeId, Collection<String> topics) {
        Optional<DeliveryPolicy> node = store.get(PolicyScope.NODE, nodeId);
        Map<String, DeliveryPolicy> result = new TreeMap<>();
        for (String topic : topics) {
            Optional<DeliveryPolicy> p = node.isPresent() ? node : store.get(PolicyScope.TOPIC, topic);
            p.ifPresent(policy -> result.put(topic, policy));
        }
        return result;
    }
}
