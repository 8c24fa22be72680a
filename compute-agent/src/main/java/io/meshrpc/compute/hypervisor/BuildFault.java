package io.meshrpc.compute.hypervisor;

/**
 * A sickness this agent can be told to have ({@code compute.build-fault}), so tests and demos can
 * show how the control plane copes with an agent that reports capacity but does not build. The
 * agent keeps reporting its (unchanged) capacity in every case, as a half-broken host does.
 */
public enum BuildFault {
    /** Builds as asked. */
    NONE,
    /** Takes every build (the cast is acknowledged) and never answers: no state change, no report of the instance. */
    DROP,
    /** Refuses every build as overloaded: an ERROR event the gateway may retry elsewhere. */
    REFUSE
}
