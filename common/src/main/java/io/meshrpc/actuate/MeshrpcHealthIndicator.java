package io.meshrpc.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.meshrpc.node.MeshNode;
import io.meshrpc.node.NodeReport;

/**
 * {@code meshrpc} in {@code /actuator/health}: DOWN while the node is not running (not started
 * yet, or draining) or stalled (its oldest queued message is older than
 * {@code meshrpc.server.stall-threshold}), with the reason; UP otherwise.
 */
public class MeshrpcHealthIndicator extends AbstractHealthIndicator {

    private final MeshNode node;

    public MeshrpcHealthIndicator(MeshNode node) {
        super("meshrpc health check failed");
        this.node = node;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("nodeId", node.nodeId()).withDetail("state", node.state().value());
        if (!node.isRunning()) {
            builder.down().withDetail("reason", "node is not running (starting, draining or stopped)");
            return;
        }
        NodeReport.Stall state = node.stall().orElseThrow();
        builder.withDetail("queueDepth", state.queueDepth())
                .withDetail("oldestQueuedMillis", state.oldestQueued().toMillis());
        if (state.stalled()) {
            builder.down().withDetail("reason", "stalled: the oldest accepted message has waited "
                    + state.oldestQueued().toMillis() + " ms, over the threshold of " + state.threshold().toMillis()
                    + " ms (meshrpc.server.stall-threshold)");
        } else {
            builder.up();
        }
    }
}
