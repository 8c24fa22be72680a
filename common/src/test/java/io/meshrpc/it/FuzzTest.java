package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.Target;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.transport.amqp.AmqpTopology;

/**
 * 100,000 generated bad frames against a live node's ZeroMQ port, and 100,000 against its broker
 * queue, with valid casts sent in between: the node stays up, counts every bad frame as rejected,
 * handles every valid cast, and its memory does not grow with what it refused.
 */
class FuzzTest {

    private static final int FRAMES = 100_000;
    private static final int VALID_EVERY = 1_000;
    private static final long SEED = 20261124L;

    private EmbeddedQpidBroker broker;
    private BrokerCluster cluster;
    private Endpoints.Compute compute;
    private MeshNode target;
    private MeshNode sender;

    @BeforeEach
    void start() {
        broker = EmbeddedQpidBroker.start();
        cluster = new BrokerCluster("127.0.0.1", broker.port(), "");
        compute = new Endpoints.Compute("target");
        target = cluster.start("target", FailoverTest.ZMQ_FIRST, compute);
        sender = cluster.start("api", FailoverTest.ZMQ_FIRST);
    }

    @AfterEach
    void stop() {
        cluster.close();
        broker.close();
    }

    @Test
    void hundredThousandBadFramesOnTheZmqPortAreRejectedWhileValidTrafficIsHandled() throws Exception {
        FrameFuzzer fuzzer = new FrameFuzzer(SEED, 1 << 20);
        long heapBefore = usedHeapAfterGc();
        List<CompletableFuture<Void>> valid = new ArrayList<>();
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket raw = context.createSocket(SocketType.DEALER);
            raw.setHandshakeIvl(250);
            raw.setSndHWM(0);
            raw.setRcvHWM(0);
            raw.connect(target.endpoint());
            for (int i = 0; i < FRAMES; i++) {
                raw.send(fuzzer.next(), 0);
                while (raw.recv(ZMQ.DONTWAIT) != null) {
                    // NACKs for frames whose id could be read: drained, not needed
                }
                if (i % VALID_EVERY == 0) {
                    valid.add(sender.client().cast(Target.topic("compute").server("target"), "buildInstance", "ok-" + i));
                }
            }
            CompletableFuture.allOf(valid.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    target.metrics().count(RpcMetrics.RECEIVED, "transport", "zmq", "outcome", "rejected"))
                    .isEqualTo(FRAMES));
        }
        Awaitility.await().untilAsserted(() -> assertThat(compute.total).hasValue(valid.size()));
        assertThat(compute.handled.keySet()).allMatch(id -> id.startsWith("ok-"));
        assertThat(target.isRunning()).isTrue();
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth in bytes").isLessThan(64L << 20);
    }

    @Test
    void hundredThousandBadMessagesOnTheBrokerQueueAreRejectedWhileValidTrafficIsHandled() throws Exception {
        FrameFuzzer fuzzer = new FrameFuzzer(SEED + 1, 1 << 20);
        AmqpTopology names = new AmqpTopology(cluster.amqpSettings);
        RabbitTemplate raw = new RabbitTemplate(cluster.connections());
        sender.routing().overrideTopic("compute", io.meshrpc.matchmaker.protocol.DeliveryPolicy.AMQP);
        List<CompletableFuture<Void>> valid = new ArrayList<>();
        raw.invoke(onOneChannel -> {
            for (int i = 0; i < FRAMES; i++) {
                onOneChannel.send(names.exchange(), names.nodeKey("compute", "target"),
                        new Message(fuzzer.next(), new MessageProperties()));
                if (i % VALID_EVERY == 0) {
                    valid.add(sender.client().cast(Target.topic("compute").server("target"), "buildInstance", "ok-" + i));
                }
            }
            return null;
        });
        CompletableFuture.allOf(valid.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Awaitility.await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(
                target.metrics().count(RpcMetrics.RECEIVED, "transport", "amqp", "outcome", "rejected"))
                .isEqualTo(FRAMES));
        Awaitility.await().untilAsserted(() -> assertThat(compute.total).hasValue(valid.size()));
        assertThat(target.isRunning()).isTrue();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
