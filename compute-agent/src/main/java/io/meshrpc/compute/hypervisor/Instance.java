package io.meshrpc.compute.hypervisor;

import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;

/**
 * An instance held by this hypervisor.
 *
 * @param spec        what was asked for
 * @param status      BUILDING or ACTIVE (deleted and refused instances are not held)
 * @param consolePort where its console listens
 */
public record Instance(InstanceSpec spec, InstanceStatus status, int consolePort) {

    public String id() {
        return spec.id();
    }

    Instance withStatus(InstanceStatus newStatus) {
        return new Instance(spec, newStatus, consolePort);
    }

    public InstanceInfo info(String host) {
        return new InstanceInfo(spec.id(), spec.name(), spec.vcpus(), spec.ramMb(), host, status);
    }
}
