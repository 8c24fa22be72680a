package io.meshrpc.it;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.meshrpc.testsupport.EmbeddedQpid;

/** The {@link NotificationsContract} through a real Apache Qpid Broker-J. */
class QpidNotificationsTest extends NotificationsContract {

    @RegisterExtension
    static final EmbeddedQpid broker = new EmbeddedQpid();

    @Override
    BrokerCluster newCluster() {
        return new BrokerCluster("127.0.0.1", broker.port(), "notify" + System.nanoTime() + ".");
    }
}
