package io.meshrpc.services.scheduler;

import java.util.List;

/**
 * A compute agent's state as the scheduler needs it.
 *
 * @param host        the agent's node id
 * @param totalVcpus  vCPUs of the (simulated) hypervisor
 * @param totalRamMb  RAM of the hypervisor in MiB
 * @param freeVcpus   vCPUs not taken by instances
 * @param freeRamMb   RAM not taken by instances, in MiB
 * @param instanceIds the instances the agent holds (building or active); the scheduler drops its
 *                    claims for the ones listed, since the free figures already count them
 */
public record CapacityReport(String host, int totalVcpus, int totalRamMb, int freeVcpus, int freeRamMb,
                             List<String> instanceIds) {

    public CapacityReport {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }
}
