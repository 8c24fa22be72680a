package io.meshrpc.matchmaker.service;

import java.time.Clock;

import jakarta.servlet.Servlet;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.api.WatchServlet;
import io.meshrpc.matchmaker.service.policy.InMemoryPolicyStore;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.policy.PolicyStore;
import io.meshrpc.matchmaker.service.registry.ExpirySweeper;
import io.meshrpc.matchmaker.service.registry.InMemoryNodeStore;
import io.meshrpc.matchmaker.service.registry.InMemoryStatsStore;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.matchmaker.service.registry.NodeStore;
import io.meshrpc.matchmaker.service.registry.RegistryHealthIndicator;
import io.meshrpc.matchmaker.service.registry.RegistryMetrics;
import io.meshrpc.matchmaker.service.registry.StatsStore;
import io.meshrpc.matchmaker.service.revision.ChangeHistory;
import io.meshrpc.matchmaker.service.revision.ChangeLog;
import io.meshrpc.matchmaker.service.revision.LocalChangeLog;
import io.meshrpc.matchmaker.service.revision.Revisions;
import io.meshrpc.matchmaker.service.watch.WatchAnswers;
import io.meshrpc.matchmaker.service.watch.WatchDrain;
import io.meshrpc.matchmaker.service.watch.WatchHub;
import io.meshrpc.matchmaker.service.watch.WatchLimits;
import io.meshrpc.matchmaker.service.watch.WatchMetrics;
import tools.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring of the registry, its revisions and watches. The stores and the change log are the in-memory ones unless
 * {@code meshrpc.matchmaker.store=redis} ({@code RedisStoreConfiguration}); the {@link Clock} is replaceable so that
 * tests move time.
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
    @ConditionalOnProperty(name = "meshrpc.matchmaker.store", havingValue = "memory", matchIfMissing = true)
    StatsStore statsStore() {
        return new InMemoryStatsStore();
    }

    /** This process's copy of the latest changes; in memory it starts where a registry started now would. */
    @Bean
    ChangeHistory changeHistory(MatchmakerProperties properties, Clock clock) {
        return new ChangeHistory(properties.watch().history(), Revisions.start(clock));
    }

    @Bean
    @ConditionalOnProperty(name = "meshrpc.matchmaker.store", havingValue = "memory", matchIfMissing = true)
    ChangeLog changeLog(ChangeHistory history) {
        return new LocalChangeLog(history);
    }

    @Bean
    PolicyService policyService(PolicyStore policyStore, NodeRegistry registry, ChangeLog changeLog) {
        return new PolicyService(policyStore, registry, changeLog);
    }

    @Bean
    WatchAnswers watchAnswers(ChangeHistory history, NodeRegistry registry, PolicyService policies, JsonMapper json) {
        return new WatchAnswers(history, registry, policies, json);
    }

    @Bean
    WatchHub watchHub(ChangeHistory history, WatchAnswers answers, MatchmakerProperties properties,
                      MeterRegistry meterRegistry) {
        return new WatchHub(history, answers,
                new WatchLimits(properties.watch().maxWatches(), properties.watch().writerThreads(),
                        properties.watch().coalesce()),
                new WatchMetrics(meterRegistry));
    }

    @Bean
    WatchDrain watchDrain(WatchHub hub) {
        return new WatchDrain(hub);
    }

    @Bean
    ServletRegistrationBean<Servlet> watchServlet(WatchHub hub, JsonMapper json) {
        ServletRegistrationBean<Servlet> registration = new ServletRegistrationBean<>(new WatchServlet(hub, json),
                MatchmakerProtocol.WATCH_PATH);
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    RegistryMetrics registryMetrics(MeterRegistry meterRegistry) {
        return new RegistryMetrics(meterRegistry);
    }

    @Bean
    NodeRegistry nodeRegistry(NodeStore nodeStore, StatsStore statsStore, ChangeLog changeLog, Clock clock,
                              RegistryMetrics metrics, MatchmakerProperties properties) {
        return new NodeRegistry(nodeStore, statsStore, changeLog, clock, metrics, properties.ringDefaultPort());
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
