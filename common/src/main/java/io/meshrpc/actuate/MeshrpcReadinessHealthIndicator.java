package io.meshrpc.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.meshrpc.node.MeshNode;

/**
 * {@code meshrpcReadiness}, a member of the {@code readiness} health group by default
 * ({@link MeshrpcReadinessGroupPostProcessor}): UP once the node receives (its ports are bound and
 * its consumers started) and the matchmaker has taken its registration; OUT_OF_SERVICE before, and
 * from the moment a graceful stop begins (draining), like Boot's own {@code readinessState} when
 * the application refuses traffic.
 *
 * <p>Deliberately not DOWN for a stall: a burst of slow work on every replica would take them all out
 * of their Service at once. Stalls show in the {@code meshrpc} indicator; see {@code docs/deploy.md}.
 */
public class MeshrpcReadinessHealthIndicator extends AbstractHealthIndicator {

    private final MeshNode node;

    public MeshrpcReadinessHealthIndicator(MeshNode node) {
        super("meshrpc readiness check failed");
        this.node = node;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        MeshNode.State state = node.state();
        builder.withDetail("state", state.value());
        String reason = node.stateReason();
        if (reason != null) {
            builder.withDetail("reason", reason);
        }
        switch (state) {
            case RUNNING -> builder.up();
            case FAILED -> builder.down();
            default -> builder.status(Status.OUT_OF_SERVICE);
        }
    }
}
