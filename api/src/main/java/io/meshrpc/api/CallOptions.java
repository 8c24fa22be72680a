package io.meshrpc.api;

import java.time.Duration;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * Overrides of one prepared call or cast ({@link RpcClient#prepare}); each {@code null} (or 0) keeps
 * the node's setting.
 *
 * @param timeout     the call's deadline instead of {@code meshrpc.call-timeout}
 * @param versionCap  the highest version sent instead of {@code meshrpc.version-caps.<topic>}
 * @param castRetries how many times more a cast that was not delivered is sent again (same id, so
 *                    the receiver handles it once), after a back-off of {@link #RETRY_BACKOFF} doubling
 *                    up to {@link #MAX_RETRY_BACKOFF}; 0 for none
 * @param policy      the delivery policy instead of the target's configured one
 * @param callMonitor for a call, the interval at which its server sends heartbeats while it runs; the
 *                    call fails with {@link HeartbeatTimeoutException} after two intervals without
 *                    one (oslo.messaging's {@code call_monitor_timeout}); {@code null} for none
 */
public record CallOptions(Duration timeout, Version versionCap, int castRetries, DeliveryPolicy policy,
                          Duration callMonitor) {

    /** Nothing overridden. */
    public static final CallOptions NONE = new CallOptions(null, null, 0, null, null);
    /** The first wait before a cast is sent again. */
    public static final Duration RETRY_BACKOFF = Duration.ofMillis(50);
    /** The longest heartbeat interval a call may ask for (the wire's bound). */
    public static final Duration MAX_CALL_MONITOR = Duration.ofHours(1);
    /** The longest wait between two sends of a cast. */
    public static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(1);

    public CallOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("Call timeout must be positive, was " + timeout);
        }
        if (callMonitor != null && (callMonitor.toMillis() < 1 || callMonitor.toMillis() > MAX_CALL_MONITOR.toMillis())) {
            throw new IllegalArgumentException("Call monitor interval must be 1 ms to " + MAX_CALL_MONITOR + ", was "
                    + callMonitor);
        }
        if (castRetries < 0) {
            throw new IllegalArgumentException("Cast retries must be 0 or more, was " + castRetries);
        }
    }

    public CallOptions withTimeout(Duration newTimeout) {
        return new CallOptions(newTimeout, versionCap, castRetries, policy, callMonitor);
    }

    public CallOptions withVersionCap(Version newCap) {
        return new CallOptions(timeout, newCap, castRetries, policy, callMonitor);
    }

    public CallOptions withCastRetries(int retries) {
        return new CallOptions(timeout, versionCap, retries, policy, callMonitor);
    }

    public CallOptions withPolicy(DeliveryPolicy newPolicy) {
        return new CallOptions(timeout, versionCap, castRetries, newPolicy, callMonitor);
    }

    public CallOptions withCallMonitor(Duration interval) {
        return new CallOptions(timeout, versionCap, castRetries, policy, interval);
    }

    /** How long to wait before send number {@code attempt} + 1 of a cast (attempt 1 is the first retry). */
    public static Duration backoff(int attempt) {
        long millis = RETRY_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY_BACKOFF.toMillis()));
    }
}
