package io.meshrpc.it;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.qpid.EmbeddedQpidBroker;

/** Connection factories to an embedded Qpid Broker-J, or to a relay in front of one. */
final class QpidConnections {

    private QpidConnections() {
    }

    /** A node's own connection factory to {@code 127.0.0.1:port} (each node owns and closes its own). */
    static CachingConnectionFactory to(int port) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", port);
        factory.setUsername(EmbeddedQpidBroker.USER);
        factory.setPassword(EmbeddedQpidBroker.PASSWORD);
        return factory;
    }
}
