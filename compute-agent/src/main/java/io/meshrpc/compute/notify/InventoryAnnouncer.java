package io.meshrpc.compute.notify;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.meshrpc.api.Failures;
import io.meshrpc.api.RpcClient;
import io.meshrpc.compute.hypervisor.Hypervisor;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.gateway.HostInventory;

/**
 * Tells every gateway, once the agent is up, which instances it holds: after a restart that is none
 * (the simulated hypervisor keeps nothing on disk), so the gateways put the ACTIVE servers they placed
 * here in ERROR instead of showing them running. A gateway that misses it still learns of a host that
 * stays away through the matchmaker ({@code gateway.lost-host-grace}).
 */
@Component
public class InventoryAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(InventoryAnnouncer.class);

    private final RpcClient rpc;
    private final Hypervisor hypervisor;

    public InventoryAnnouncer(RpcClient rpc, Hypervisor hypervisor) {
        this.rpc = rpc;
        this.hypervisor = hypervisor;
    }

    @EventListener
    public void onReady(ApplicationReadyEvent ready) {
        HostInventory inventory = new HostInventory(hypervisor.host(), hypervisor.report().instanceIds(),
                Instant.ofEpochMilli(ready.getTimestamp()));
        rpc.fanout(GatewayApi.TOPIC, GatewayApi.HOST_INVENTORY, inventory).whenComplete((ok, error) -> {
            if (error != null) {
                log.info("The inventory of {} did not reach every gateway: {}", inventory.host(),
                        Failures.unwrap(error).getMessage());
            }
        });
    }
}
