package io.meshrpc.node;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * An operator's levers on where this node sends: delivery policy overrides that win over the
 * matchmaker's and the properties, and a peer's ZeroMQ path retried at once. For one sender, and
 * they work while the matchmaker is down; fleet-wide changes belong in the matchmaker. The actuator
 * endpoint's {@code POST} and {@code DELETE} call these.
 */
public interface RoutingAdmin {

    /** Sets, or with {@code null} removes, this node's policy override for messages on {@code topic}. */
    void overrideTopic(String topic, DeliveryPolicy policy);

    /** Sets, or with {@code null} removes, this node's policy override for messages to node {@code nodeId}. */
    void overrideNode(String nodeId, DeliveryPolicy policy);

    /**
     * Forgets that {@code nodeId} missed an ACK: {@code zmq-first} tries it over ZeroMQ again with
     * the next message instead of waiting for its probe.
     */
    void markPeerUp(String nodeId);
}
