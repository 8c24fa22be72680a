package io.meshrpc.compute.hypervisor;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.scheduler.CapacityReport;

/**
 * The simulated hypervisor's books: capacity, instances, console ports.
 *
 * <p>It is the last word on capacity: a scheduler decides on a view that may be a few seconds old
 * and does not see another replica's placements, so the agent checks again and refuses a build it
 * has no room for, rather than overcommit. Every method is atomic under one lock.
 */
public final class Hypervisor {

    private final String host;
    private final HypervisorProperties properties;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    /** When this agent process began, for its reports' {@code incarnation}: a restarted agent's reports win. */
    private final long incarnation = System.currentTimeMillis();
    private long reports;
    private final BitSet consoleSlots = new BitSet();
    private int usedVcpus;
    private int usedRamMb;

    public Hypervisor(String host, HypervisorProperties properties) {
        this.host = host;
        this.properties = properties;
    }

    public String host() {
        return host;
    }

    /** Takes the room for {@code spec}, or says why not. */
    public synchronized BuildOutcome claim(InstanceSpec spec) {
        String invalid = validate(spec);
        if (invalid != null) {
            return new BuildOutcome.Invalid(invalid);
        }
        Instance existing = instances.get(spec.id());
        if (existing != null) {
            return new BuildOutcome.AlreadyHere(existing);
        }
        int freeVcpus = properties.vcpus() - usedVcpus;
        int freeRamMb = properties.ramMb() - usedRamMb;
        if (spec.vcpus() > freeVcpus || spec.ramMb() > freeRamMb) {
            return new BuildOutcome.NoRoom("Host " + host + " has " + freeVcpus + " vCPUs / " + freeRamMb
                    + " MiB free; instance " + spec.id() + " needs " + spec.vcpus() + " vCPUs / " + spec.ramMb() + " MiB");
        }
        int slot = consoleSlots.nextClearBit(0);
        consoleSlots.set(slot);
        usedVcpus += spec.vcpus();
        usedRamMb += spec.ramMb();
        Instance instance = new Instance(spec, InstanceStatus.BUILDING, properties.consoleBasePort() + slot);
        instances.put(spec.id(), instance);
        return new BuildOutcome.Accepted(instance);
    }

    /** Finishes a build; empty when the instance was deleted meanwhile. */
    public synchronized Optional<Instance> activate(String instanceId) {
        return Optional.ofNullable(instances.computeIfPresent(instanceId, (id, i) -> i.withStatus(InstanceStatus.ACTIVE)));
    }

    /** Deletes the instance and frees its room; empty when it is not here. */
    public synchronized Optional<Instance> delete(String instanceId) {
        Instance removed = instances.remove(instanceId);
        if (removed != null) {
            usedVcpus -= removed.spec().vcpus();
            usedRamMb -= removed.spec().ramMb();
            consoleSlots.clear(removed.consolePort() - properties.consoleBasePort());
        }
        return Optional.ofNullable(removed);
    }

    public synchronized Optional<Instance> find(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    /** What the schedulers are told. */
    /**
     * The hypervisor's state now, numbered: the number is taken with the snapshot, under the same lock, so a
     * higher number always describes a later state.
     */
    public synchronized CapacityReport report() {
        return new CapacityReport(host, properties.vcpus(), properties.ramMb(), properties.vcpus() - usedVcpus,
                properties.ramMb() - usedRamMb, java.util.List.copyOf(instances.keySet()), incarnation, ++reports);
    }

    public synchronized HypervisorView view() {
        return new HypervisorView(host, properties.vcpus(), properties.ramMb(), usedVcpus, usedRamMb,
                instances.values().stream().map(i -> i.info(host)).toList());
    }

    private static String validate(InstanceSpec spec) {
        if (spec == null || spec.id() == null || spec.id().isBlank()) {
            return "the instance has no id";
        }
        if (spec.vcpus() < 1 || spec.ramMb() < 1) {
            return "instance " + spec.id() + " asks for " + spec.vcpus() + " vCPUs / " + spec.ramMb()
                    + " MiB; both must be at least 1";
        }
        return null;
    }
}
