package io.meshrpc.gateway.servers;

/**
 * What the gateway knows of an ACTIVE server's host, from the matchmaker's compute topic as of its
 * last lost-host sweep: whether the instance's "ACTIVE" can be believed right now.
 */
public enum HostState {
    /** The host is registered in the compute topic. */
    LIVE,
    /**
     * The host is missing from the compute topic (cut off, crashed, or stopped) and has been for less
     * than {@code gateway.lost-host-grace}; after it, the server goes to ERROR ({@code HOST_LOST}).
     */
    MISSING,
    /** The gateway cannot tell: its view of the topic is empty or older than the grace (the matchmaker is down). */
    UNKNOWN
}
