package io.meshrpc.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.Target;

/**
 * A first REST call that crosses the mesh: asks the scheduler where an instance would go. The
 * example-cluster issue replaces it with the full servers API.
 */
@RestController
public class PlacementController {

    /** What the scheduler's {@code select_destination} takes. */
    public record BuildRequest(String name, int vcpus, int ramMb) {
    }

    /** What it answers. */
    public record Placement(String host, long placement) {
    }

    private final RpcClient rpc;

    public PlacementController(RpcClient rpc) {
        this.rpc = rpc;
    }

    @GetMapping("/api/v1/placement")
    public CompletableFuture<Placement> placement(@RequestParam(defaultValue = "vm1") String name,
                                                  @RequestParam(defaultValue = "1") int vcpus) {
        return rpc.call(Target.topic("scheduler"), "select_destination", new BuildRequest(name, vcpus, 512),
                Placement.class, Duration.ofSeconds(5));
    }
}
