package io.meshrpc.matchmaker.service.registry;

/** How a node entered the registry. */
public enum NodeSource {
    /** The node registered itself and heartbeats within its time to live. */
    REGISTERED,
    /** Imported from a ring file: no time to live, stays until removed or replaced by the next import. */
    RING
}
