package io.meshrpc.it;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.testsupport.EmbeddedQpid;
import io.meshrpc.node.RoutingSettings;

/** The {@link RpcContract} through a real Apache Qpid Broker-J: every message takes the broker. */
class QpidRpcTest extends RpcContract {

    @RegisterExtension
    static final EmbeddedQpid broker = new EmbeddedQpid();

    @Override
    RpcCluster newCluster() {
        return new BrokerCluster("127.0.0.1", broker.port(), "rpc" + System.nanoTime() + ".")
                .routing(RoutingSettings.of(DeliveryPolicy.AMQP));
    }
}
