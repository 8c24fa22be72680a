package io.meshrpc.qpid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** The embedded broker is a real AMQP 0-9-1 broker: Spring AMQP publishes with confirms and consumes. */
class EmbeddedQpidBrokerTest {

    private static CachingConnectionFactory connect(EmbeddedQpidBroker broker) {
        CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", broker.port());
        cf.setUsername(EmbeddedQpidBroker.USER);
        cf.setPassword(EmbeddedQpidBroker.PASSWORD);
        cf.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        return cf;
    }

    @Test
    void publishIsConfirmedAndTheMessageCanBeConsumed() throws Exception {
        try (EmbeddedQpidBroker broker = EmbeddedQpidBroker.start()) {
            CachingConnectionFactory cf = connect(broker);
            try {
                new RabbitAdmin(cf).declareQueue(new Queue("compute.compute-1", true, false, false));
                RabbitTemplate template = new RabbitTemplate(cf);
                CorrelationData confirm = new CorrelationData("m-1");
                template.send("", "compute.compute-1",
                        new Message("{\"v\":1}".getBytes(StandardCharsets.UTF_8), new MessageProperties()), confirm);
                assertThat(confirm.getFuture().get(10, TimeUnit.SECONDS).ack()).isTrue();
                Message received = template.receive("compute.compute-1", 10_000);
                assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
            } finally {
                cf.destroy();
            }
        }
    }

    @Test
    void aStoppedBrokerRefusesConnectionsAndANewOneCanTakeItsPort() {
        EmbeddedQpidBroker first = EmbeddedQpidBroker.start();
        int port = first.port();
        first.close();
        CachingConnectionFactory cf = connect(first);
        try {
            assertThatThrownBy(cf::createConnection).isInstanceOf(AmqpConnectException.class);
        } finally {
            cf.destroy();
        }
        try (EmbeddedQpidBroker second = EmbeddedQpidBroker.start(port)) {
            CachingConnectionFactory again = connect(second);
            try {
                assertThat(again.createConnection().isOpen()).isTrue();
            } finally {
                again.destroy();
            }
        }
    }
}
