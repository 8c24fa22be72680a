package io.meshrpc.gateway.rpc;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.gateway.servers.ServerService;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.gateway.HostInventory;
import io.meshrpc.services.gateway.InstanceEvent;

/**
 * Where agents' state changes and inventories arrive (topic {@code gateway}, by fanout to every gateway).
 *
 * <p>An inbound adapter: it depends on {@code servers}, and {@code servers} never depends back on
 * this package (the outbound calls go through the {@code servers.Cloud} port).
 */
@RpcEndpoint(topic = GatewayApi.TOPIC)
public class GatewayEndpoint implements GatewayApi {

    private final ServerService servers;

    public GatewayEndpoint(ServerService servers) {
        this.servers = servers;
    }

    @Override
    public void instanceStateChanged(InstanceEvent event) {
        servers.onEvent(event);
    }

    @Override
    public void hostInventory(HostInventory inventory) {
        servers.onInventory(inventory);
    }
}
