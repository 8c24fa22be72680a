package io.meshrpc.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.node.RoutingSettings;

/** The {@link RpcContract} through a real Apache Qpid Broker-J: every message takes the broker. */
class QpidRpcTest extends RpcContract {

    private static EmbeddedQpidBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedQpidBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Override
    RpcCluster newCluster() {
        return new BrokerCluster("127.0.0.1", broker.port(), "rpc" + System.nanoTime() + ".")
                .routing(RoutingSettings.of(DeliveryPolicy.AMQP));
    }
}
