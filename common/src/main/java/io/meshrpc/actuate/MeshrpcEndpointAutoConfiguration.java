package io.meshrpc.actuate;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.meshrpc.autoconfigure.MeshrpcAutoConfiguration;
import io.meshrpc.node.MeshNode;

/**
 * The {@code meshrpc} actuator endpoint (when exposed) and the {@code meshrpc} and
 * {@code meshrpcReadiness} health indicators, when actuator is on the classpath; the latter joins
 * Boot's {@code readiness} group. Ordered after Boot's availability probes so that the group exists
 * when {@link MeshrpcReadinessGroupPostProcessor} extends it.
 */
@AutoConfiguration(after = MeshrpcAutoConfiguration.class,
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(MeshNode.class)
public class MeshrpcEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(MeshrpcEndpoint.class)
    MeshrpcEndpoint meshrpcEndpoint(MeshNode node) {
        return new MeshrpcEndpoint(node);
    }

    /** The node's health: DOWN while stopped, draining or stalled. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "meshrpcHealthIndicator")
        MeshrpcHealthIndicator meshrpcHealthIndicator(MeshNode node) {
            return new MeshrpcHealthIndicator(node);
        }

        /** Readiness: OUT_OF_SERVICE until registered and receiving, and while draining. */
        @Bean
        @ConditionalOnMissingBean(name = "meshrpcReadinessHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("meshrpc-readiness")
        MeshrpcReadinessHealthIndicator meshrpcReadinessHealthIndicator(MeshNode node) {
            return new MeshrpcReadinessHealthIndicator(node);
        }

        /** Puts {@code meshrpcReadiness} in Boot's default {@code readiness} group. */
        @Bean
        @ConditionalOnEnabledHealthIndicator("meshrpc-readiness")
        @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor")
        static MeshrpcReadinessGroupPostProcessor meshrpcReadinessGroupPostProcessor(Environment environment) {
            return new MeshrpcReadinessGroupPostProcessor(environment);
        }
    }
}
