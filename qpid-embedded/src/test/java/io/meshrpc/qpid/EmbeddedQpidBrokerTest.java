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

    @Test
    void aBrokerBoundToEveryInterfaceIsReachedAtThisMachinesOtherAddressAndTheDefaultOneIsNot() throws Exception {
        String other = nonLoopbackAddress();
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null,
                "this machine has no non-loopback IPv4 address to reach the broker at");
        try (EmbeddedQpidBroker everywhere = EmbeddedQpidBroker.start("0.0.0.0", 0);
             EmbeddedQpidBroker loopbackOnly = EmbeddedQpidBroker.start(0)) {
            assertThat(accepts(other, everywhere.port())).as("0.0.0.0 at %s", other).isTrue();
            assertThat(accepts(other, loopbackOnly.port())).as("127.0.0.1 at %s", other).isFalse();
            assertThat(accepts("127.0.0.1", loopbackOnly.port())).isTrue();
        }
    }

    private static boolean accepts(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 2_000);
            return true;
        } catch (java.io.IOException ex) {
            return false;
        }
    }

    private static String nonLoopbackAddress() throws java.net.SocketException {
        for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        return null;
    }
}
