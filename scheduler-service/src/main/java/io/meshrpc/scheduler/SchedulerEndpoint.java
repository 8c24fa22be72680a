package io.meshrpc.scheduler;

import java.util.concurrent.atomic.AtomicLong;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcMethod;

/**
 * The scheduler's RPC face (topic {@code scheduler}). A first cut: it picks compute hosts round
 * robin; the example-cluster issue gives it real placement over registered compute agents.
 */
@RpcEndpoint(topic = "scheduler")
public class SchedulerEndpoint {

    private final AtomicLong placements = new AtomicLong();

    /** The request of {@code selectDestination}. */
    public record BuildRequest(String name, int vcpus, int ramMb) {
    }

    /** Where an instance goes. */
    public record HostRef(String host, long placement) {
    }

    @RpcMethod("select_destination")
    public HostRef selectDestination(BuildRequest request) {
        if (request.vcpus() < 1) {
            throw new IllegalArgumentException("vcpus must be at least 1, was " + request.vcpus());
        }
        long n = placements.incrementAndGet();
        return new HostRef("compute-" + (1 + n % 3), n);
    }
}
