package io.meshrpc.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test only when a RabbitMQ answers on {@code 127.0.0.1:5672} (or on
 * {@code MESHRPC_RABBITMQ=host:port}); otherwise the test is skipped and the report says why. CI
 * runs RabbitMQ, so there these tests always run. Tests never fake the broker, and they namespace
 * what they declare on it ({@link RabbitMq#uniquePrefix()}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RabbitMqCondition.class)
public @interface EnabledIfRabbitMq {
}
