package io.meshrpc.compute.hypervisor;

/** What {@link Hypervisor#claim} made of a build request. */
public sealed interface BuildOutcome {

    /** The room is taken; the instance is BUILDING. */
    record Accepted(Instance instance) implements BuildOutcome {
    }

    /** Not enough room left: nothing is held; another host may take it. */
    record NoRoom(String reason) implements BuildOutcome {
    }

    /** The request itself is wrong (no id, no resources): no host would take it. */
    record Invalid(String reason) implements BuildOutcome {
    }

    /** The instance is here already (a redelivered cast): nothing changes. */
    record AlreadyHere(Instance instance) implements BuildOutcome {
    }
}
