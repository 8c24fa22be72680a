package io.meshrpc.autoconfigure;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.node.MeshNode;

/**
 * Starts the node once every bean exists, collecting the {@link RpcEndpoint} beans then, and stops
 * it gracefully. Its phase puts it before the web server on start and after it on stop, so HTTP
 * requests always find a working {@link io.meshrpc.api.RpcClient}.
 */
public class MeshNodeLifecycle implements SmartLifecycle {

    /** Earlier than the web server's start phase, later than its graceful-shutdown phase. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final MeshNode node;
    private final ApplicationContext context;

    public MeshNodeLifecycle(MeshNode node, ApplicationContext context) {
        this.node = node;
        this.context = context;
    }

    @Override
    public void start() {
        node.addEndpoints(context.getBeansWithAnnotation(RpcEndpoint.class).values());
        node.addNotificationListeners(context.getBeansWithAnnotation(io.meshrpc.api.NotificationListener.class).values());
        node.start();
    }

    /**
     * Drains the node. The application refuses traffic from here on: as Boot's web server contexts
     * do when they close, the lifecycle publishes {@link ReadinessState#REFUSING_TRAFFIC} first (also
     * for applications without a web server, and for anyone reading {@code ApplicationAvailability}).
     */
    @Override
    public void stop() {
        if (node.isRunning()) {
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        }
        node.stop();
    }

    @Override
    public boolean isRunning() {
        return node.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
