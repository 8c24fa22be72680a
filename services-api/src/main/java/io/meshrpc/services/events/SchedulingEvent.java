package io.meshrpc.services.events;

/**
 * The payload of {@link CloudEvents#SELECT_DESTINATIONS_END}.
 *
 * @param instanceId the instance being built
 * @param host       the host chosen
 */
public record SchedulingEvent(String instanceId, String host) {
}
