package io.meshrpc.autoconfigure;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

import io.meshrpc.transport.amqp.AmqpSettings;

/**
 * The broker transport's connection, when {@code meshrpc.amqp.enabled=true}: configured from
 * {@code spring.rabbitmq.*} by Spring Boot's own configurers, so addresses, credentials, virtual
 * host and TLS (SSL bundles) mean exactly what they mean for any Spring Boot RabbitMQ application.
 */
@AutoConfiguration(before = MeshrpcAutoConfiguration.class,
        afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass({RabbitProperties.class, CachingConnectionFactory.class})
@ConditionalOnBooleanProperty(name = "meshrpc.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("meshrpc.amqp.enabled")
@EnableConfigurationProperties({MeshrpcProperties.class, RabbitProperties.class})
public class MeshrpcAmqpAutoConfiguration {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    MeshrpcBrokerConnection meshrpcBrokerConnection(MeshrpcProperties properties, RabbitProperties rabbit,
                                                    ResourceLoader resourceLoader,
                                                    ObjectProvider<RabbitConnectionFactoryBeanConfigurer> beanConfigurer,
                                                    ObjectProvider<CachingConnectionFactoryConfigurer> cachingConfigurer)
            throws Exception {
        RabbitConnectionFactoryBean factoryBean = new RabbitConnectionFactoryBean();
        beanConfigurer.getIfAvailable(() -> new RabbitConnectionFactoryBeanConfigurer(resourceLoader, rabbit))
                .configure(factoryBean);
        factoryBean.afterPropertiesSet();
        CachingConnectionFactory factory = new CachingConnectionFactory(factoryBean.getObject());
        cachingConfigurer.getIfAvailable(() -> new CachingConnectionFactoryConfigurer(rabbit)).configure(factory);
        factory.setConnectionNameStrategy(cf -> "meshrpc-" + (properties.nodeId() == null ? "node" : properties.nodeId()));
        MeshrpcProperties.Amqp amqp = properties.amqp();
        return new MeshrpcBrokerConnection(factory, AmqpSettings.builder().prefix(amqp.prefix())
                .exchange(amqp.exchange()).prefetch(amqp.prefetch()).consumers(amqp.consumers())
                .confirmTimeout(amqp.confirmTimeout()).maxPending(amqp.maxPending()).heartbeat(amqp.heartbeat())
                .recoveryInterval(amqp.recoveryInterval()).connectionTimeout(amqp.connectionTimeout()).build());
    }
}
