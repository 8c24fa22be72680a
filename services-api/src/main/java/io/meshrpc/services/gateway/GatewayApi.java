package io.meshrpc.services.gateway;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;

/**
 * What the gateways (topic {@code gateway}) receive: state changes of instances, sent by compute
 * agents by fanout so every gateway replica's view of the servers stays current.
 */
@RpcInterface(topic = GatewayApi.TOPIC)
public interface GatewayApi {

    String TOPIC = "gateway";
    String INSTANCE_STATE_CHANGED = "instance_state_changed";

    @RpcMethod(INSTANCE_STATE_CHANGED)
    void instanceStateChanged(InstanceEvent event);
}
