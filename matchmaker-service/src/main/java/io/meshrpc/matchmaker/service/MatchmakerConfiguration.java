package io.meshrpc.matchmaker.service;

import java.time.Clock;

import io.meshrpc.matchmaker.service.policy.InMemoryPolicyStore;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.policy.PolicyStore;
import io.meshrpc.matchmaker.service.registry.ExpirySweeper;
import io.meshrpc.matchmaker.service.registry.InMemoryNodeStore;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.matchmaker.service.registry.NodeStore;
import io.meshrpc.matchmaker.service.registry.RegistryHealthIndicator;
import io.meshrpc.matchmaker.service.registry.RegistryMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring of the registry. The stores are the in-memory ones unless {@code meshrpc.matchmaker.store=redis}
 * ({@code RedisStoreConfiguration}); the {@link Clock} is replaceable so that tests move time.
 */
@Configuration(proxyBeanMethods = false)
public class MatchmakerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnProperty(name = "meshrpc.matchmaker.store", havingValue = "memory", matchIfMissing = true)
    NodeStore nodeStore() {
        return new InMemoryNodeStore();
    }

    @Bean
    @ConditionalOnProperty(name = "meshrpc.matchmaker.store", havingValue = "memory", matchIfMissing = true)
    PolicyStore policyStore() {
        return new InMemoryPolicyStore();
    }

    @Bean
    PolicyService policyService(PolicyStore policyStore) {
        return new PolicyService(policyStore);
    }

    @Bean
    RegistryMetrics registryMetrics(MeterRegistry meterRegistry) {
        return new RegistryMetrics(meterRegistry);
    }

    @Bean
    NodeRegistry nodeRegistry(NodeStore nodeStore, Clock clock, RegistryMetrics metrics,
                              MatchmakerProperties properties) {
        return new NodeRegistry(nodeStore, clock, metrics, properties.ringDefaultPort());
    }

    @Bean
    ExpirySweeper expirySweeper(NodeRegistry registry, MatchmakerProperties properties) {
        return new ExpirySweeper(registry, properties.sweepInterval());
    }

    @Bean("registryHealthIndicator")
    RegistryHealthIndicator registryHealthIndicator(NodeRegistry registry) {
        return new RegistryHealthIndicator(registry);
    }
}
