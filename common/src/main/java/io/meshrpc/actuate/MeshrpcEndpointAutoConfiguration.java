package io.meshrpc.actuate;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.context.annotation.Bean;

import io.meshrpc.autoconfigure.MeshrpcAutoConfiguration;
import io.meshrpc.node.MeshNode;

/**
 * The {@code meshrpc} actuator endpoint (when exposed) and the {@code meshrpc} health indicator, when
 * actuator is on the classpath.
 */
@AutoConfiguration(after = MeshrpcAutoConfiguration.class)
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
    }
}
