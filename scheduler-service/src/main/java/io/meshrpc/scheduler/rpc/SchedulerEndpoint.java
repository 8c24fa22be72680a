package io.meshrpc.scheduler.rpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.scheduler.placement.HostStateCache;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.SchedulerApi;

/** The scheduler's RPC face (topic {@code scheduler}); the decisions are the {@link HostStateCache}'s. */
@RpcEndpoint(topic = SchedulerApi.TOPIC)
public class SchedulerEndpoint implements SchedulerApi {

    private static final Logger log = LoggerFactory.getLogger(SchedulerEndpoint.class);

    private final HostStateCache hosts;

    public SchedulerEndpoint(HostStateCache hosts) {
        this.hosts = hosts;
    }

    @Override
    public Destination selectDestination(BuildRequest request) {
        Destination destination = hosts.select(request);
        log.debug("Instance {} ({} vCPUs, {} MiB) -> {}", request.instanceId(), request.vcpus(), request.ramMb(),
                destination.host());
        return destination;
    }

    @Override
    public void updateCapacity(CapacityReport report) {
        if (report.host() == null || report.host().isBlank()) {
            throw new IllegalArgumentException("report.host is required");
        }
        hosts.update(report);
    }
}
