package io.meshrpc.matchmaker.service.registry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Health of the registry: UP when its store answers, with the store type and the live node count. */
public class RegistryHealthIndicator extends AbstractHealthIndicator {

    private final NodeRegistry registry;

    public RegistryHealthIndicator(NodeRegistry registry) {
        super("Matchmaker registry health check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        int live = registry.liveCount();
        builder.up().withDetail("store", registry.storeType()).withDetail("liveNodes", live);
    }
}
