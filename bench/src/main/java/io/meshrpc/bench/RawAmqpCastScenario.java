package io.meshrpc.bench;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;

/**
 * {@code raw-rabbitmq-cast} (and {@code raw-qpid-cast}): the floor for meshrpc's broker cast, written
 * with the plain RabbitMQ client and the guarantees meshrpc gives: persistent messages to a durable
 * queue, publisher confirms, a consumer with manual acks (prefetch 250, as meshrpc's default). 200
 * bytes per message, at most 1,000 unconfirmed (as {@code rabbitmq-cast}); throughput counts confirmed
 * messages, latency is publish to confirm. Publishing is serialised on one channel, as amqp-client
 * requires.
 */
final class RawAmqpCastScenario implements Scenario {

    private static final Duration DRAIN_WAIT = Duration.ofSeconds(30);
    private static final Duration HANDLED_WAIT = Duration.ofSeconds(10);

    private final BrokerUnderTest.Kind kind;
    private final byte[] payload = "x".repeat(RawCastScenario.PAYLOAD_BYTES).getBytes();
    private final LongAdder handled = new LongAdder();
    private final LongAdder totalConfirmed = new LongAdder();
    /** Publish sequence number to send time, until confirmed. */
    private final ConcurrentNavigableMap<Long, Long> unconfirmed = new ConcurrentSkipListMap<>();
    private BrokerUnderTest broker;
    private Connection publisherConnection;
    private Connection consumerConnection;
    private Channel publisher;
    private String queue;
    private volatile Semaphore window;
    private volatile LatencyRecorder latencies;
    private final LongAdder confirmed = new LongAdder();
    private final LongAdder nacked = new LongAdder();

    RawAmqpCastScenario(BrokerUnderTest.Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return "raw-" + kind.label + "-cast";
    }

    @Override
    public void open() throws Exception {
        broker = BrokerUnderTest.start(kind);
        queue = broker.name("raw-cast");
        consumerConnection = broker.rawConnections().newConnection("meshrpc-bench-raw-consumer");
        Channel consumer = consumerConnection.createChannel();
        consumer.queueDeclare(queue, true, false, false, null);
        consumer.basicQos(250);
        consumer.basicConsume(queue, false, (tag, delivery) -> {
            handled.increment();
            consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
        publisherConnection = broker.rawConnections().newConnection("meshrpc-bench-raw-publisher");
        publisher = publisherConnection.createChannel();
        publisher.confirmSelect();
        publisher.addConfirmListener((seq, multiple) -> confirm(seq, multiple, true),
                (seq, multiple) -> confirm(seq, multiple, false));
    }

    private void confirm(long seq, boolean multiple, boolean ack) {
        ConcurrentNavigableMap<Long, Long> done = multiple ? unconfirmed.headMap(seq, true)
                : unconfirmed.subMap(seq, true, seq, true);
        long now = System.nanoTime();
        for (Long sentAt : done.values()) {
            if (ack) {
                latencies.record(now - sentAt);
                confirmed.increment();
            } else {
                nacked.increment();
            }
            window.release();
        }
        done.clear();
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder recorder) throws Exception {
        latencies = recorder;
        window = new Semaphore(MeshCastScenario.WINDOW);
        confirmed.reset();
        nacked.reset();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        while (System.nanoTime() < deadline) {
            window.acquire();
            long seq = publisher.getNextPublishSeqNo();
            unconfirmed.put(seq, System.nanoTime());
            publisher.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, payload);
        }
        if (!window.tryAcquire(MeshCastScenario.WINDOW, DRAIN_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("Publishes still unconfirmed " + DRAIN_WAIT.toSeconds() + " s after sending");
        }
        long elapsed = System.nanoTime() - start;
        totalConfirmed.add(confirmed.sum());
        return new RunStats(confirmed.sum(), nacked.sum(), elapsed, nacked.sum() == 0 ? null : "broker nacked");
    }

    /** The broker may hold confirmed messages the consumer has not had yet: they are consumed now. */
    @Override
    public void settle() throws InterruptedException {
        long waitUntil = System.nanoTime() + HANDLED_WAIT.toNanos();
        while (handled.sum() < totalConfirmed.sum() && System.nanoTime() < waitUntil) {
            Thread.sleep(10);
        }
    }

    /** Every confirmed message (warm-up included) must reach the consumer. */
    @Override
    public List<String> verify() throws InterruptedException {
        settle();
        return handled.sum() < totalConfirmed.sum()
                ? List.of("the consumer got " + handled.sum() + " of " + totalConfirmed.sum() + " confirmed messages")
                : List.of();
    }

    @Override
    public OptionalLong brokerProcess() {
        return broker == null ? OptionalLong.empty() : broker.process();
    }

    @Override
    public void close() {
        RawAmqp.deleteQuietly(publisher, queue);
        RawAmqp.closeQuietly(publisherConnection);
        RawAmqp.closeQuietly(consumerConnection);
        if (broker != null) {
            broker.close();
        }
    }
}
