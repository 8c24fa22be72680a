package io.meshrpc.matchmaker.service.policy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/** Policy overrides in this process's memory: lost on restart, not shared between replicas. */
public final class InMemoryPolicyStore implements PolicyStore {

    private final Map<PolicyScope, Map<String, DeliveryPolicy>> overrides = new EnumMap<>(PolicyScope.class);

    public InMemoryPolicyStore() {
        for (PolicyScope scope : PolicyScope.values()) {
            overrides.put(scope, new ConcurrentHashMap<>());
        }
    }

    @Override
    public Optional<DeliveryPolicy> get(PolicyScope scope, String key) {
        return Optional.ofNullable(overrides.get(scope).get(key));
    }

    @Override
    public Optional<DeliveryPolicy> put(PolicyScope scope, String key, DeliveryPolicy policy) {
        return Optional.ofNullable(overrides.get(scope).put(key, policy));
    }

    @Override
    public Optional<DeliveryPolicy> remove(PolicyScope scope, String key) {
        return Optional.ofNullable(overrides.get(scope).remove(key));
    }

    @Override
    public Map<String, DeliveryPolicy> all(PolicyScope scope) {
        return new TreeMap<>(overrides.get(scope));
    }
}
