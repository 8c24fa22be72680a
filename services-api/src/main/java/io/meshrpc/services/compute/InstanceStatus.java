package io.meshrpc.services.compute;

/** The life of an instance, as the public API shows it (plus {@link #DELETED}, which it never shows). */
public enum InstanceStatus {
    /** Accepted, resources claimed or being claimed, not running yet. */
    BUILDING,
    /** Running on its host. */
    ACTIVE,
    /** The build failed (no room on the host, no host at all); the instance holds no resources. */
    ERROR,
    /** Gone from its host; the gateway drops it from its list. */
    DELETED
}
