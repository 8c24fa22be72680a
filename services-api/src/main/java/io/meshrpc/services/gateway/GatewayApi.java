package io.meshrpc.services.gateway;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;

/**
 * What the gateways (topic {@code gateway}) receive from compute agents, by fanout so that every
 * gateway replica's view of the servers stays current: state changes of instances, and each agent's
 * inventory when it starts.
 */
@RpcInterface(topic = GatewayApi.TOPIC)
public interface GatewayApi {

    String TOPIC = "gateway";
    String INSTANCE_STATE_CHANGED = "instance_state_changed";
    String HOST_INVENTORY = "host_inventory";

    @RpcMethod(INSTANCE_STATE_CHANGED)
    void instanceStateChanged(InstanceEvent event);

    /**
     * An agent started and holds exactly these instances: an ACTIVE server the gateway placed there
     * that the inventory does not list was lost with the agent's previous run, and ends in ERROR.
     */
    @RpcMethod(HOST_INVENTORY)
    void hostInventory(HostInventory inventory);
}
