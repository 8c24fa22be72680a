package io.meshrpc.services.events;

import io.meshrpc.api.Notifier;

/**
 * The notifications the example services publish (topic {@code notifications}, priority INFO), with
 * the event types Nova and its scheduler use. Payloads: an {@link io.meshrpc.services.gateway.InstanceEvent}
 * for the compute events, a {@link SchedulingEvent} for the scheduler's.
 */
public final class CloudEvents {

    /** An agent took a build and starts it. */
    public static final String INSTANCE_CREATE_START = "compute.instance.create.start";
    /** An agent finished a build: the instance is ACTIVE. */
    public static final String INSTANCE_CREATE_END = "compute.instance.create.end";
    /** An agent removed an instance. */
    public static final String INSTANCE_DELETE_END = "compute.instance.delete.end";
    /** The scheduler chose a host for a build. */
    public static final String SELECT_DESTINATIONS_END = "scheduler.select_destinations.end";

    private static final System.Logger LOG = System.getLogger(CloudEvents.class.getName());

    private CloudEvents() {
    }

    /**
     * Publishes an INFO event and does not wait: a service's work never depends on who listens, and a
     * node without a broker (notifications travel through it) only logs that the event went nowhere.
     */
    public static void publish(Notifier notifier, String eventType, Object payload) {
        notifier.info(eventType, payload).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.DEBUG, "Event {0} not published: {1}", eventType, error.getMessage());
            }
        });
    }
}
