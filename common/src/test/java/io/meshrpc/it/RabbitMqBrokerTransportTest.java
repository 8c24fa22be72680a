package io.meshrpc.it;

import io.meshrpc.testsupport.EnabledIfRabbitMq;
import io.meshrpc.testsupport.RabbitMq;

/** The broker transport against the machine's RabbitMQ (skipped with the reason where none runs). */
@EnabledIfRabbitMq
class RabbitMqBrokerTransportTest extends BrokerTransportContract {

    private final String prefix = RabbitMq.uniquePrefix();

    @Override
    String host() {
        return RabbitMq.host();
    }

    @Override
    int port() {
        return RabbitMq.port();
    }

    @Override
    String prefix() {
        return prefix;
    }
}
