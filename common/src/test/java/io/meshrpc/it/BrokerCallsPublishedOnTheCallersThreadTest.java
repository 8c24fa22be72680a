package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.node.MeshNode;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.amqp.AmqpTopology;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * Over the broker, a CALL and a reply are published on their sender's thread when the publisher
 * thread has nothing queued; casts always go through that thread. These tests check what the shortcut
 * must never break: one thread's messages reach a queue in the order it sent them, and a caller never
 * waits on the socket of a broker that stopped reading. The broker is a Qpid Broker-J started here.
 */
class BrokerCallsPublishedOnTheCallersThreadTest {

    private final Closeables closeables = new Closeables();

    @AfterEach
    void close() throws Exception {
        closeables.close();
    }

    @Test
    void aThreadsCastsAndCallsReachTheNodesQueueInTheOrderItSentThem() throws Exception {
        EmbeddedQpidBroker broker = closeables.keep(EmbeddedQpidBroker.start());
        AmqpSettings settings = AmqpSettings.builder().prefix("order.").build();
        RecordingConsumer receiver = closeables.keep(new RecordingConsumer(broker.port(), settings, "raw-1"));
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        matchmaker.register(new NodeRef("raw-1", null), Set.of("compute"));
        MeshNode sender = closeables.keep(
                QpidConnections.sendingThroughTheBroker("api", matchmaker, broker.port(), settings));
        Target target = Target.topic("compute").server("raw-1");
        List<String> sent = new ArrayList<>();

        // Rounds of a few casts, queued for the publisher thread, each followed at once by a call, which
        // is published on this thread once nothing is queued before it: it must never overtake the casts.
        // Few enough per round that the call is not held back by the casts awaiting their confirms.
        for (int round = 0; round < 50; round++) {
            List<CompletableFuture<Void>> casts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = "cast-" + round + "-" + i;
                sent.add(id);
                casts.add(sender.client().cast(target, "buildInstance", id));
            }
            String id = "call-" + round;
            sent.add(id);
            sender.client().call(target, "describe", id, String.class, Duration.ofSeconds(30));
            CompletableFuture.allOf(casts.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.arrived.size() >= sent.size());
        assertThat(receiver.arrived).containsExactlyElementsOf(sent);
    }

    @Test
    void callsToABrokerThatStoppedReadingNeverWaitOnItsSocketAndFailWithinTheConfirmTimeout() throws Exception {
        EmbeddedQpidBroker broker = closeables.keep(EmbeddedQpidBroker.start());
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        Duration confirmTimeout = Duration.ofSeconds(1);
        // a heartbeat far beyond the test: only the confirm timeout may end the wait of a publish
        AmqpSettings settings = AmqpSettings.builder().prefix("silent-calls.").confirmTimeout(confirmTimeout)
                .heartbeat(Duration.ofSeconds(300)).build();
        closeables.keep(MeshNode.builder().nodeId("r").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .amqp(QpidConnections.to(broker.port()), settings).endpoints(new Endpoints.Compute("r"))
                .build().start());
        SilentLink link = closeables.keep(new SilentLink(broker.port()));
        MeshNode caller = closeables.keep(
                QpidConnections.sendingThroughTheBroker("api", matchmaker, link.port(), settings));
        Target compute = Target.topic("compute").server("r");
        assertThat(caller.client().<String>invoke(compute, "host", String.class, null).get(10, TimeUnit.SECONDS))
                .isEqualTo("r");

        link.silence();
        try {
            // Each call small enough to be published on its caller's thread, together far more than the socket
            // buffers between the node and the broker hold: a caller writing them all itself would block.
            String arg = "x".repeat(6 * 1024);
            CompletableFuture<List<CompletableFuture<String>>> calling = CompletableFuture.supplyAsync(() -> {
                List<CompletableFuture<String>> calls = new ArrayList<>();
                for (int i = 0; i < 4_000; i++) {
                    calls.add(caller.client().call(compute, "describe", arg, String.class, Duration.ofSeconds(60)));
                }
                return calls;
            });

            List<CompletableFuture<String>> calls = calling.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<String> call : calls) {
                Throwable error = catchThrowable(() -> call.get(30, TimeUnit.SECONDS));
                assertThat(error).as("a call to a silent broker fails when its publish is not confirmed")
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NoRouteException.class)
                        .hasMessageContaining("did not confirm");
            }
        } finally {
            link.restore(); // lets a caller blocked in a write go, so that a failure ends the test
        }
    }

    /**
     * Stands in for a node on the broker: declares the node's queues as a node does, then consumes its
     * own queue with the plain RabbitMQ client, one delivery at a time, recording each envelope's first
     * argument in the order the broker delivers them.
     */
    private static final class RecordingConsumer implements AutoCloseable {
        final List<String> arrived = new CopyOnWriteArrayList<>();
        private final Connection connection;

        RecordingConsumer(int port, AmqpSettings settings, String nodeId) throws Exception {
            AmqpTopology topology = new AmqpTopology(settings);
            CachingConnectionFactory declaring = QpidConnections.to(port);
            AmqpTopology.declare(new RabbitAdmin(declaring), topology.declarations(nodeId, Set.of("compute")));
            declaring.destroy();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setPort(port);
            factory.setUsername(EmbeddedQpidBroker.USER);
            factory.setPassword(EmbeddedQpidBroker.PASSWORD);
            connection = factory.newConnection("recording-consumer");
            Channel channel = connection.createChannel();
            channel.basicQos(1);
            channel.basicConsume(topology.nodeQueue("compute", nodeId), false, (tag, delivery) -> {
                String json = new String(delivery.getBody(), StandardCharsets.UTF_8);
                arrived.add(json.substring(json.indexOf("\"args\":[\"") + 9, json.indexOf("\"]")));
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }
}
