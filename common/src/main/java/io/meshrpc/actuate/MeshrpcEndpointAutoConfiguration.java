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

/** The {@code meshrpc} actuator endpoint, when actuator is on the classpath and the endpoint exposed. */
@AutoConfiguration(after = MeshrpcAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(MeshNode.class)
@ConditionalOnAvailableEndpoint(MeshrpcEndpoint.class)
public class MeshrpcEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MeshrpcEndpoint meshrpcEndpoint(MeshNode node) {
        return new MeshrpcEndpoint(node);
    }
}
