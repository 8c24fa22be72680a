package io.meshrpc.it;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.testsupport.EnabledIfRabbitMq;
import io.meshrpc.testsupport.RabbitMq;

/** The {@link RpcContract} through the machine's RabbitMQ (skipped with the reason where none runs). */
@EnabledIfRabbitMq
class RabbitMqRpcTest extends RpcContract {

    @Override
    RpcCluster newCluster() {
        return new BrokerCluster(RabbitMq.host(), RabbitMq.port(), RabbitMq.uniquePrefix())
                .routing(RoutingSettings.of(DeliveryPolicy.AMQP));
    }
}
