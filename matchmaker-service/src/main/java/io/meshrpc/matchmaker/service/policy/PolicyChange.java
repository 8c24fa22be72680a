package io.meshrpc.matchmaker.service.policy;

import java.util.Optional;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * The outcome of setting or clearing an override.
 *
 * @param previous the override it replaced or removed, if any
 * @param revision the revision of the change, or the current one when nothing changed (the same policy again)
 */
public record PolicyChange(Optional<DeliveryPolicy> previous, long revision) {
}
