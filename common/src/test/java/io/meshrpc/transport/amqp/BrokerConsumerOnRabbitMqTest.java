package io.meshrpc.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import com.rabbitmq.client.Channel;

import io.meshrpc.testsupport.EnabledIfRabbitMq;
import io.meshrpc.testsupport.RabbitMq;

/**
 * What only RabbitMQ shows: it tells a consumer that its queue was deleted ({@code basic.cancel}),
 * where Qpid Broker-J leaves the consumer waiting. The queue is this test's own, deleted afterwards.
 */
@EnabledIfRabbitMq
class BrokerConsumerOnRabbitMqTest {

    private final String queue = "meshrpc-test-consumer-" + UUID.randomUUID();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private CachingConnectionFactory factory;
    private Channel probe;
    private BrokerConsumer consumer;

    @AfterEach
    void cleanUp() throws Exception {
        if (consumer != null) {
            consumer.stop();
        }
        if (probe != null && probe.isOpen()) {
            probe.queueDelete(queue);
            probe.close();
        }
        if (factory != null) {
            factory.destroy();
        }
    }

    @Test
    void aConsumerWhoseQueueWasDeletedDeclaresItAgainAndGoesOnConsuming() throws Exception {
        factory = new CachingConnectionFactory(RabbitMq.host(), RabbitMq.port());
        probe = factory.createConnection().getDelegate().createChannel();
        declareQueue();
        AtomicInteger failures = new AtomicInteger();
        consumer = new BrokerConsumer("test-consumer", factory, List.of(queue),
                new BrokerConsumer.Pacing(250, Duration.ofMillis(100), Duration.ofMillis(20)), (q, body) -> {
                    handled.add(new String(body, StandardCharsets.UTF_8));
                    return Settlement.ACK;
                }, this::declareQueue, reason -> failures.incrementAndGet());
        consumer.start();
        publish("before");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("before"));

        probe.queueDelete(queue);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> probe.queueDeclarePassive(queue).getConsumerCount() == 1);
        publish("after");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("after"));
        assertThat(handled).containsExactly("before", "after");
    }

    private void declareQueue() {
        try (Channel channel = factory.createConnection().getDelegate().createChannel()) {
            channel.queueDeclare(queue, false, false, false, null);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void publish(String body) throws Exception {
        probe.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
    }
}
