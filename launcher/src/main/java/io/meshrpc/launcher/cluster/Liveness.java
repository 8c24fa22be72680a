package io.meshrpc.launcher.cluster;

/**
 * What is left of a recorded cluster. Every command reads the state file through this one verdict,
 * so {@code up}, {@code status} and {@code down} never disagree about whether a cluster runs.
 */
public enum Liveness {
    /** Every recorded process runs. */
    RUNNING,
    /** Some recorded processes have exited (a crashed or killed node); the rest still run. */
    DEGRADED,
    /** No recorded process runs: the state is a leftover, and a new cluster may replace it. */
    DEAD
}
