package io.meshrpc.compute.hypervisor;

import java.util.List;

import io.meshrpc.services.compute.InstanceInfo;

/**
 * The hypervisor as {@code GET /api/v1/hypervisor} shows it.
 *
 * @param host       this agent's node id
 * @param vcpus      capacity
 * @param ramMb      capacity, MiB
 * @param usedVcpus  taken by instances
 * @param usedRamMb  taken by instances, MiB
 * @param instances  the instances, by id
 */
public record HypervisorView(String host, int vcpus, int ramMb, int usedVcpus, int usedRamMb,
                             List<InstanceInfo> instances) {
}
