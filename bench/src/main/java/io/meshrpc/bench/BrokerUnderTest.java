package io.meshrpc.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;
import java.util.UUID;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.testsupport.RabbitMq;
import io.meshrpc.transport.amqp.AmqpSettings;

/**
 * The broker a broker scenario runs against: the machine's RabbitMQ ({@code 127.0.0.1:5672} or
 * {@code MESHRPC_RABBITMQ},
 * guest/guest, names under a prefix unique to the run) or an Apache Qpid Broker-J started in this
 * JVM. A RabbitMQ that does not answer fails the scenario's set-up with the reason, and the table
 * shows it; the other scenarios still run.
 */
final class BrokerUnderTest implements AutoCloseable {

    /** Which broker. */
    enum Kind {
        RABBITMQ("rabbitmq"), QPID("qpid");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final String host;
    private final int port;
    private final EmbeddedQpidBroker qpid;
    private final AmqpSettings settings;

    private BrokerUnderTest(Kind kind, String host, int port, EmbeddedQpidBroker qpid) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.qpid = qpid;
        this.settings = AmqpSettings.defaults("meshrpc-bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    static BrokerUnderTest start(Kind kind) {
        if (kind == Kind.QPID) {
            Progress.say("starting an embedded Qpid Broker-J");
            EmbeddedQpidBroker broker = EmbeddedQpidBroker.start();
            return new BrokerUnderTest(kind, "127.0.0.1", broker.port(), broker);
        }
        if (!RabbitMq.available()) {
            throw new IllegalStateException("skipped: no RabbitMQ answers on " + RabbitMq.address());
        }
        return new BrokerUnderTest(kind, RabbitMq.host(), RabbitMq.port(), null);
    }

    /** RabbitMQ when it answers, else the embedded Qpid Broker-J. */
    static BrokerUnderTest startAny() {
        return start(RabbitMq.available() ? Kind.RABBITMQ : Kind.QPID);
    }

    Kind kind() {
        return kind;
    }

    AmqpSettings settings() {
        return settings;
    }

    /**
     * The broker's own process when it runs on this machine outside this JVM (RabbitMQ on a loopback
     * address: the process listening on its port), so that its CPU can be set beside the scenario's;
     * empty for the embedded Qpid Broker-J, whose CPU is the process's own, and for a remote broker.
     */
    OptionalLong process() {
        if (qpid != null || !loopback(host)) {
            return OptionalLong.empty();
        }
        return ProcStat.listeningProcess(port);
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException ex) {
            return false;
        }
    }

    /** A plain RabbitMQ client connection factory to this broker, for the raw baselines. */
    com.rabbitmq.client.ConnectionFactory rawConnections() {
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }

    /** A queue name unique to this run, under the run's prefix. */
    String name(String suffix) {
        return settings.prefix() + suffix;
    }

    /** A new connection factory to this broker (each node owns and closes its own). */
    CachingConnectionFactory connections() {
        CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }

    /**
     * Stops the embedded broker. On RabbitMQ the run's queues go with their nodes: node queues are
     * durable, so they are deleted by {@link MeshPair#close()}.
     */
    @Override
    public void close() {
        if (qpid != null) {
            qpid.close();
        }
    }
}
