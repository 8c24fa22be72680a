package io.meshrpc.transport.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import com.rabbitmq.client.Channel;

/**
 * A queue of one test's own on a broker, the connection factory that reaches it, and a channel of
 * its own to publish to it and look at it. Closing deletes the queue and closes the factory.
 */
final class TestQueue implements AutoCloseable {

    private final String name = "meshrpc-test-consumer-" + UUID.randomUUID();
    private final CachingConnectionFactory factory;
    private final Channel probe;

    /** Declares the queue (not durable) through {@code factory}, which this then owns. */
    TestQueue(CachingConnectionFactory factory) throws IOException {
        this.factory = factory;
        this.probe = factory.createConnection().getDelegate().createChannel();
        declare();
    }

    String name() {
        return name;
    }

    CachingConnectionFactory factory() {
        return factory;
    }

    /** Declares the queue again, on a channel of its own (a consumer's re-declaration runs on its thread). */
    void declare() {
        try (Channel channel = factory.createConnection().getDelegate().createChannel()) {
            channel.queueDeclare(name, false, false, false, null);
        } catch (IOException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
    }

    void publish(String body) throws IOException {
        probe.basicPublish("", name, null, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Messages on the queue; on Qpid Broker-J those delivered and not yet acknowledged count too. */
    long depth() throws IOException {
        return probe.queueDeclarePassive(name).getMessageCount();
    }

    int consumers() throws IOException {
        return probe.queueDeclarePassive(name).getConsumerCount();
    }

    void delete() throws IOException {
        probe.queueDelete(name);
    }

    @Override
    public void close() throws Exception {
        if (probe.isOpen()) {
            probe.queueDelete(name);
            probe.close();
        }
        factory.destroy();
    }
}
