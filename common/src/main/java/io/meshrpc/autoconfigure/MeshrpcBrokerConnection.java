package io.meshrpc.autoconfigure;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.transport.amqp.AmqpSettings;

/**
 * The node's own connection to the broker, built from {@code spring.rabbitmq.*}. Separate from the
 * application's {@code ConnectionFactory} bean: the node needs publisher confirms and returns, and
 * its traffic should not compete with the application's for channels.
 *
 * @param connectionFactory the node's connection factory
 * @param settings          names and limits from {@code meshrpc.amqp.*}
 */
public record MeshrpcBrokerConnection(CachingConnectionFactory connectionFactory, AmqpSettings settings) {
}
