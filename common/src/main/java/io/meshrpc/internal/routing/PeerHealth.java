package io.meshrpc.internal.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peers missed an ACK. A peer marked down is skipped by {@code zmq-first} — its messages go
 * straight to the broker — so an outage costs one ACK timeout, not one per message. Once per
 * {@code retryInterval} one message is let through over ZeroMQ as the probe; the first ACK from
 * the peer marks it up again. No probe messages of its own: real traffic is the probe.
 */
public final class PeerHealth {

    /** A peer's state, for the actuator endpoint. */
    public record State(boolean down, long downSinceMillis) {
    }

    private final long retryNanos;
    private final Map<String, Down> down = new ConcurrentHashMap<>();

    private static final class Down {
        final long sinceMillis = System.currentTimeMillis();
        volatile long nextProbeNanos;

        Down(long nextProbeNanos) {
            this.nextProbeNanos = nextProbeNanos;
        }
    }

    public PeerHealth(Duration retryInterval) {
        this.retryNanos = retryInterval.toNanos();
    }

    public void markDown(String nodeId) {
        down.putIfAbsent(nodeId, new Down(System.nanoTime() + retryNanos));
    }

    public void markUp(String nodeId) {
        down.remove(nodeId);
    }

    public boolean isDown(String nodeId) {
        return down.containsKey(nodeId);
    }

    /**
     * Whether to skip ZeroMQ for a message to {@code nodeId}: true while it is down, except for one
     * message per retry interval, which probes it.
     */
    public boolean skip(String nodeId) {
        Down d = down.get(nodeId);
        if (d == null) {
            return false;
        }
        long now = System.nanoTime();
        long due = d.nextProbeNanos;
        if (now - due >= 0) {
            synchronized (d) {
                if (d.nextProbeNanos == due) {
                    d.nextProbeNanos = now + retryNanos;
                    return false;
                }
            }
        }
        return true;
    }

    /** The peers currently down, with since when. */
    public Map<String, State> downPeers() {
        Map<String, State> out = new java.util.TreeMap<>();
        down.forEach((id, d) -> out.put(id, new State(true, d.sinceMillis)));
        return out;
    }
}
