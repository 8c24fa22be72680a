package io.meshrpc.services.gateway;

import io.meshrpc.services.compute.InstanceStatus;

/**
 * An instance changed state on its host.
 *
 * @param instanceId the instance
 * @param host       the agent that reports it
 * @param status     the new state
 * @param reason     why, for {@link InstanceStatus#ERROR}; otherwise {@code null}
 * @param retryable  whether another host may succeed (the host had no room left, or is overloaded:
 *                   the gateway reschedules, as Nova's retry filter does)
 */
public record InstanceEvent(String instanceId, String host, InstanceStatus status, String reason,
                            boolean retryable) {

    public static InstanceEvent of(String instanceId, String host, InstanceStatus status) {
        return new InstanceEvent(instanceId, host, status, null, false);
    }
}
