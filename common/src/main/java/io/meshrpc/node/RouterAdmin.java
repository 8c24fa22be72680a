package io.meshrpc.node;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.internal.routing.DeliveryRouter;

/** The {@link RoutingAdmin} of a node: its router's policy overrides and peer health. */
final class RouterAdmin implements RoutingAdmin {

    private final DeliveryRouter router;

    RouterAdmin(DeliveryRouter router) {
        this.router = router;
    }

    @Override
    public void overrideTopic(String topic, DeliveryPolicy policy) {
        router.policies().overrideTopic(topic, policy);
    }

    @Override
    public void overrideNode(String nodeId, DeliveryPolicy policy) {
        router.policies().overrideNode(nodeId, policy);
    }

    @Override
    public void markPeerUp(String nodeId) {
        router.health().markUp(nodeId);
    }
}
