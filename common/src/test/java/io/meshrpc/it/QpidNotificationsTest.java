package io.meshrpc.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.meshrpc.qpid.EmbeddedQpidBroker;

/** The {@link NotificationsContract} through a real Apache Qpid Broker-J. */
class QpidNotificationsTest extends NotificationsContract {

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
    BrokerCluster newCluster() {
        return new BrokerCluster("127.0.0.1", broker.port(), "notify" + System.nanoTime() + ".");
    }
}
