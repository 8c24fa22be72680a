package io.meshrpc.scheduler.rpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.api.Notifier;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.services.events.CloudEvents;
import io.meshrpc.services.events.SchedulingEvent;
import io.meshrpc.scheduler.placement.HostStateCache;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.SchedulerApi;

/** The scheduler's RPC face (topic {@code scheduler}); the decisions are the {@link HostStateCache}'s. */
@RpcEndpoint(topic = SchedulerApi.TOPIC)
public class SchedulerEndpoint implements SchedulerApi {

    private static final Logger log = LoggerFactory.getLogger(SchedulerEndpoint.class);

    /** A node id is a DNS-like name; longer ones are not an agent's. */
    private static final int MAX_HOST_NAME = 253;

    private final HostStateCache hosts;
    private final Notifier notifier;

    public SchedulerEndpoint(HostStateCache hosts, Notifier notifier) {
        this.hosts = hosts;
        this.notifier = notifier;
    }

    @Override
    public Destination selectDestination(BuildRequest request) {
        Destination destination = hosts.select(request);
        log.debug("Instance {} ({} vCPUs, {} MiB) -> {}", request.instanceId(), request.vcpus(), request.ramMb(),
                destination.host());
        CloudEvents.publish(notifier, CloudEvents.SELECT_DESTINATIONS_END,
                new SchedulingEvent(request.instanceId(), destination.host()));
        return destination;
    }

    /**
     * Takes a report in. A report is refused (with a reason the sender's log shows, and counted when it is
     * the host cap) rather than trusted: anyone on the mesh can send one.
     */
    @Override
    public void updateCapacity(CapacityReport report) {
        if (report.host() == null || report.host().isBlank()) {
            throw new IllegalArgumentException("report.host is required");
        }
        if (report.host().length() > MAX_HOST_NAME) {
            throw new IllegalArgumentException("report.host must be at most " + MAX_HOST_NAME + " characters");
        }
        if (report.totalVcpus() < 0 || report.totalRamMb() < 0 || report.freeVcpus() < 0 || report.freeRamMb() < 0) {
            throw new IllegalArgumentException("report of " + report.host() + " has a negative figure");
        }
        if (!hosts.update(report)) {
            log.debug("Report of unknown host {} refused: scheduler.max-hosts hosts are known", report.host());
        }
    }
}
