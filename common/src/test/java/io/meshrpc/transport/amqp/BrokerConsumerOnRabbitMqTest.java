package io.meshrpc.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.testsupport.EnabledIfRabbitMq;
import io.meshrpc.testsupport.RabbitMq;

/**
 * What only RabbitMQ shows: it tells a consumer that its queue was deleted ({@code basic.cancel}),
 * where Qpid Broker-J leaves the consumer waiting. The queue is this test's own, deleted afterwards.
 */
@EnabledIfRabbitMq
class BrokerConsumerOnRabbitMqTest {

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private TestQueue queue;
    private BrokerConsumer consumer;

    @AfterEach
    void cleanUp() throws Exception {
        if (consumer != null) {
            consumer.stop();
        }
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    void aConsumerWhoseQueueWasDeletedDeclaresItAgainAndGoesOnConsuming() throws Exception {
        queue = new TestQueue(new CachingConnectionFactory(RabbitMq.host(), RabbitMq.port()));
        AtomicInteger failures = new AtomicInteger();
        consumer = new BrokerConsumer("test-consumer", queue.factory(), List.of(queue.name()),
                new BrokerConsumer.Pacing(250, Duration.ofMillis(100), Duration.ofMillis(20)), (q, body) -> {
                    handled.add(new String(body, StandardCharsets.UTF_8));
                    return Settlement.ACK;
                }, queue::declare, reason -> failures.incrementAndGet());
        consumer.start();
        queue.publish("before");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("before"));

        queue.delete();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> queue.consumers() == 1);
        queue.publish("after");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("after"));
        assertThat(handled).containsExactly("before", "after");
    }
}
