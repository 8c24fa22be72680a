package io.meshrpc.compute.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.meshrpc.api.Failures;
import io.meshrpc.api.Notifier;
import io.meshrpc.api.RpcClient;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.events.CloudEvents;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.gateway.InstanceEvent;

/**
 * Tells every gateway (fanout to topic {@code gateway}) what became of an instance, and publishes the
 * matching notification ({@code compute.instance.create.start/end}, {@code compute.instance.delete.end})
 * for whoever listens.
 *
 * <p>Fire and forget: a gateway that misses an event still learns the state when a user looks
 * (it asks the host with {@code describe_instance}), so a lost event costs freshness, not truth.
 */
@Component
public class StateNotifier {

    private static final Logger log = LoggerFactory.getLogger(StateNotifier.class);

    private final RpcClient rpc;
    private final Notifier notifier;

    public StateNotifier(RpcClient rpc, Notifier notifier) {
        this.rpc = rpc;
        this.notifier = notifier;
    }

    /** The agent took a build and starts it. */
    public void buildStarted(InstanceEvent event) {
        CloudEvents.publish(notifier, CloudEvents.INSTANCE_CREATE_START, event);
    }

    public void stateChanged(InstanceEvent event) {
        if (event.status() == InstanceStatus.ACTIVE) {
            CloudEvents.publish(notifier, CloudEvents.INSTANCE_CREATE_END, event);
        } else if (event.status() == InstanceStatus.DELETED) {
            CloudEvents.publish(notifier, CloudEvents.INSTANCE_DELETE_END, event);
        }
        rpc.fanout(GatewayApi.TOPIC, GatewayApi.INSTANCE_STATE_CHANGED, event).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("Instance {} is {} but not every gateway heard it: {}", event.instanceId(), event.status(),
                        Failures.unwrap(error).getMessage());
            }
        });
    }
}
