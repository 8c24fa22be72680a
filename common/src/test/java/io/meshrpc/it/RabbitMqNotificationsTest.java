package io.meshrpc.it;

import io.meshrpc.testsupport.EnabledIfRabbitMq;
import io.meshrpc.testsupport.RabbitMq;

/** The {@link NotificationsContract} through the machine's RabbitMQ (skipped with the reason where none runs). */
@EnabledIfRabbitMq
class RabbitMqNotificationsTest extends NotificationsContract {

    @Override
    BrokerCluster newCluster() {
        return new BrokerCluster(RabbitMq.host(), RabbitMq.port(), RabbitMq.uniquePrefix());
    }
}
