package io.meshrpc.matchmaker.service.policy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.matchmaker.service.revision.ChangeLog;

/**
 * Delivery-policy overrides held by the matchmaker and the rule that picks the one in force:
 * a node override wins over a topic override. Where the matchmaker holds neither, the node's own
 * configuration ({@code meshrpc.routing.*}) decides, so "no override" is reported as absent, not as a default.
 *
 * <p>Setting an override to a new value, or clearing one, is a change: it moves the registry's revision and wakes
 * the watchers of the topic (a topic override) or of the node's topics (a node override).
 */
public class PolicyService {

    private final PolicyStore store;
    private final NodeRegistry registry;
    private final ChangeLog changes;

    public PolicyService(PolicyStore store, NodeRegistry registry, ChangeLog changes) {
        this.store = store;
        this.registry = registry;
        this.changes = changes;
    }

    public Optional<DeliveryPolicy> get(PolicyScope scope, String key) {
        return store.get(scope, key);
    }

    /** Sets an override. */
    public PolicyChange set(PolicyScope scope, String key, DeliveryPolicy policy) {
        Optional<DeliveryPolicy> previous = store.put(scope, key, policy);
        return new PolicyChange(previous, previous.filter(policy::equals).isPresent()
                ? changes.revision() : changed(scope, key));
    }

    /** Clears an override; {@code previous} is empty (and the revision the current one) when there was none. */
    public PolicyChange remove(PolicyScope scope, String key) {
        Optional<DeliveryPolicy> previous = store.remove(scope, key);
        return new PolicyChange(previous, previous.isPresent() ? changed(scope, key) : changes.revision());
    }

    private long changed(PolicyScope scope, String key) {
        if (scope == PolicyScope.TOPIC) {
            return changes.append(Set.of(), Set.of(key));
        }
        // a node that is not registered yet has no topics: it will carry its override when it joins
        List<String> topics = registry.member(key).map(NodeRecord::topics).orElse(List.of());
        return changes.append(Set.of(key), Set.copyOf(topics));
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
