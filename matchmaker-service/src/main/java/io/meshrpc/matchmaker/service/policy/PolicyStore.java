package io.meshrpc.matchmaker.service.policy;

import java.util.Map;
import java.util.Optional;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * Storage SPI for delivery-policy overrides. Implementations are thread safe; a shared implementation
 * (Redis) lets several matchmaker replicas serve the same overrides.
 */
public interface PolicyStore {

    Optional<DeliveryPolicy> get(PolicyScope scope, String key);

    /** Sets the override; returns the one it replaced. */
    Optional<DeliveryPolicy> put(PolicyScope scope, String key, DeliveryPolicy policy);

    /** Removes the override; returns the one removed, empty when there was none. */
    Optional<DeliveryPolicy> remove(PolicyScope scope, String key);

    /** Every override of the scope, key to policy (a snapshot). */
    Map<String, DeliveryPolicy> all(PolicyScope scope);
}
