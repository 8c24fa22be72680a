package io.meshrpc.services.scheduler;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;

/**
 * The scheduler (topic {@code scheduler}): where should an instance go? Several replicas share the
 * topic; each keeps its own view of the compute hosts' free capacity, fed by every agent's periodic
 * {@link #UPDATE_CAPACITY} fanout, so any replica can answer any request.
 */
@RpcInterface(topic = SchedulerApi.TOPIC)
public interface SchedulerApi {

    String TOPIC = "scheduler";
    String SELECT_DESTINATION = "select_destination";
    String UPDATE_CAPACITY = "update_capacity";

    /**
     * Picks the compute host for a new instance: hosts that cannot fit it are filtered out, the rest
     * are weighed (most free RAM wins).
     *
     * @throws NoValidHostException when no known host fits the request
     */
    @RpcMethod(SELECT_DESTINATION)
    Destination selectDestination(BuildRequest request);

    /** A compute agent's report of its capacity (sent by fanout to every replica). */
    @RpcMethod(UPDATE_CAPACITY)
    void updateCapacity(CapacityReport report);
}
