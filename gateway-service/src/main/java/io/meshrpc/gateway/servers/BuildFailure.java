package io.meshrpc.gateway.servers;

/**
 * Why a server ended in ERROR: what happened on the last host tried, or to the host of an ACTIVE
 * server. The API shows it as {@code faultCode}, next to the human-readable {@code fault}.
 */
public enum BuildFailure {
    /** The host refused the build in a way another host could not fix (the request itself is wrong). */
    BUILD_FAILED,
    /** The host refused the build (no room, overloaded), and no attempt or no other host was left. */
    HOST_REFUSED,
    /** The host did not take the build cast (no acknowledgement, refused by its transport, gone). */
    NOT_DELIVERED,
    /** The host took the build but did not say it was ACTIVE within {@code gateway.build-timeout}. */
    BUILD_TIMEOUT,
    /** The server was ACTIVE, and its host left the fleet: missing from the matchmaker for {@code gateway.lost-host-grace}. */
    HOST_LOST,
    /** The server was ACTIVE, and its host restarted without it: the host's inventory at start did not list it. */
    HOST_RESTARTED
}
