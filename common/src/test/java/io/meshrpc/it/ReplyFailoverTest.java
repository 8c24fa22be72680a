package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.transport.amqp.AmqpTopology;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fifth flaw of the talk's dual backend: replies had no fallback. Here a caller's ZeroMQ
 * connection disappears while its call runs; the reply goes to the caller's broker reply queue.
 */
class ReplyFailoverTest {

    private EmbeddedQpidBroker broker;
    private BrokerCluster cluster;

    /** Holds every call until released. */
    @RpcEndpoint(topic = "gate")
    static final class Gate {
        final CountDownLatch release = new CountDownLatch(1);

        public String pass() throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            return "released";
        }
    }

    @BeforeEach
    void start() {
        broker = EmbeddedQpidBroker.start();
        cluster = new BrokerCluster("127.0.0.1", broker.port(), "");
    }

    @AfterEach
    void stop() {
        cluster.close();
        broker.close();
    }

    @Test
    void replyFailsOverToTheCallersBrokerQueueWhenItsZmqConnectionIsGone() throws Exception {
        Gate gate = new Gate();
        MeshNode node = cluster.start("g", FailoverTest.ZMQ_FIRST, gate);
        AmqpTopology names = new AmqpTopology(cluster.amqpSettings);
        var connections = cluster.connections();
        new RabbitAdmin(connections).declareQueue(new Queue(names.replyQueue("caller-x"), false, false, false));

        try (ZContext callerContext = new ZContext(1)) {
            ZMQ.Socket caller = callerContext.createSocket(SocketType.DEALER);
            caller.setHandshakeIvl(250);
            caller.setReceiveTimeOut(5_000);
            caller.connect(node.endpoint());
            long deadline = System.currentTimeMillis() + 30_000;
            caller.send(("{\"v\":1,\"id\":\"call-1\",\"kind\":\"CALL\",\"topic\":\"gate\",\"method\":\"pass\",\"args\":[],"
                    + "\"replyTo\":\"caller-x\",\"from\":\"caller-x\",\"deadline\":" + deadline + "}")
                    .getBytes(StandardCharsets.UTF_8), 0);
            assertThat(caller.recvStr()).isEqualTo("ACK");
        }
        // The node learns of the closed connection asynchronously, and nothing in its API shows
        // when; give its ZeroMQ I/O thread a moment before the reply is produced.
        Thread.sleep(300);
        gate.release.countDown();

        Message reply = new RabbitTemplate(connections).receive(names.replyQueue("caller-x"), 10_000);
        assertThat(reply).as("reply on the caller's broker queue").isNotNull();
        Envelope envelope = new EnvelopeCodec(JsonMapper.builder().build(), 1 << 20).decode(reply.getBody());
        assertThat(envelope.kind()).isEqualTo(Kind.REPLY);
        assertThat(envelope.correlationId()).isEqualTo("call-1");
        assertThat(envelope.result().asString()).isEqualTo("released");
        Awaitility.await().untilAsserted(() -> assertThat(
                node.metrics().count(RpcMetrics.FAILOVERS, "reason", "reply-connection-gone")).isEqualTo(1));

        MeshNode next = cluster.start("api", FailoverTest.ZMQ_FIRST);
        String answer = next.client().<String>invoke(Target.topic("gate").server("g"), "pass", String.class,
                Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
        assertThat(answer).as("the node still serves over ZeroMQ").isEqualTo("released");
        assertThat(next.metrics().count(RpcMetrics.SENT, "transport", "zmq", "outcome", "ok")).isEqualTo(1);
    }
}
