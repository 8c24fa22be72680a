package io.meshrpc.it;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * Connection factories to an embedded Qpid Broker-J, or to a relay in front of one, and nodes that send
 * through it.
 */
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

    /** A started node serving nothing that sends everything through the broker at {@code 127.0.0.1:port}. */
    static MeshNode sendingThroughTheBroker(String nodeId, InMemoryMatchmaker matchmaker, int port,
                                            AmqpSettings settings) {
        return MeshNode.builder().nodeId(nodeId).matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .amqp(to(port), settings).routing(RoutingSettings.of(DeliveryPolicy.AMQP)).build().start();
    }
}
