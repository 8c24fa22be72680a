package io.meshrpc.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.testsupport.EmbeddedQpid;

/**
 * The broker consumer's acks against a real broker (embedded Qpid Broker-J, whose queue depth counts a
 * delivered message until it is acknowledged, so the depth shows what was acked).
 */
class BrokerConsumerTest {

    /** Long enough that only a batch, a stop or a quiet queue can have sent an ack. */
    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration RECOVERY = Duration.ofMillis(100);

    @RegisterExtension
    static final EmbeddedQpid broker = new EmbeddedQpid();

    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final LongAdder handledTotal = new LongAdder();
    private TestQueue queue;
    private BrokerConsumer consumer;

    @BeforeEach
    void declareQueue() throws Exception {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", broker.port());
        factory.setUsername(EmbeddedQpidBroker.USER);
        factory.setPassword(EmbeddedQpidBroker.PASSWORD);
        queue = new TestQueue(factory);
    }

    @AfterEach
    void closeConsumer() throws Exception {
        if (consumer != null) {
            consumer.stop();
        }
        queue.close();
    }

    @Test
    void deliveriesHandledBackToBackAreAcknowledgedOnceTheQueueGoesQuiet() throws Exception {
        publish(10);
        consumer = start(new BrokerConsumer.Pacing(250, RECOVERY, Duration.ofMillis(20)), this::ack);

        awaitHandled(10);
        awaitDepth(0);
    }

    @Test
    void deliveriesKeepComingPastThePrefetchBecauseAcksGoOutEveryHalfPrefetch() throws Exception {
        publish(11);
        consumer = start(new BrokerConsumer.Pacing(4, RECOVERY, NEVER), this::ack);

        awaitHandled(11);
        // Acked in batches of 2 after the 2nd, 4th … 10th; the 11th waits for a batch, a stop or a quiet queue.
        awaitDepth(1);
    }

    @Test
    void aStopAcknowledgesEverythingHandledBeforeItClosesTheChannel() throws Exception {
        publish(10);
        consumer = start(new BrokerConsumer.Pacing(250, RECOVERY, NEVER), this::ack);
        awaitHandled(10);
        assertThat(queue.depth()).as("nothing acked before the stop").isEqualTo(10);

        consumer.stop();

        assertThat(queue.depth()).as("nothing given back to the queue").isZero();
    }

    @Test
    void aStopWaitsForTheDeliveryBeingHandledAndAcknowledgesIt() throws Exception {
        publish(1);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        consumer = start(new BrokerConsumer.Pacing(250, RECOVERY, NEVER), body -> {
            entered.countDown();
            awaitQuietly(release);
            return ack(body);
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the delivery reached the handler").isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(consumer::stop);
        // The handler is let go once the stop either returned or waits for it, whichever it does.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stopped.isDone() || consumerThreadState() == Thread.State.BLOCKED);
        release.countDown();
        stopped.get(10, TimeUnit.SECONDS);

        assertThat(handledTotal.sum()).isEqualTo(1);
        assertThat(queue.depth()).as("the delivery handled during the stop is acked, not given back").isZero();
    }

    @Test
    void aDeliveryThatBreaksTheHandlerIsAcknowledgedAndDroppedAndTheNextOnesAreHandled() throws Exception {
        publish(3);
        consumer = start(new BrokerConsumer.Pacing(250, RECOVERY, Duration.ofMillis(20)), body -> {
            if (body.equals("m-1")) {
                handledTotal.increment();
                throw new IllegalStateException("a handler bug");
            }
            return ack(body);
        });

        awaitHandled(3);
        awaitDepth(0);
        assertThat(handled).containsOnlyKeys("m-0", "m-2");
    }

    @Test
    void aDeliveryIsHandledOnTheThreadTheClientDeliversItOnWithoutAHandOff() throws Exception {
        publish(1);
        AtomicReference<String> handlerThread = new AtomicReference<>();
        consumer = start(new BrokerConsumer.Pacing(250, RECOVERY, Duration.ofMillis(20)), body -> {
            handlerThread.set(Thread.currentThread().getName());
            return ack(body);
        });

        awaitHandled(1);
        awaitDepth(0);
        assertThat(handlerThread.get()).as("not the consumer's own thread").isNotEqualTo("test-consumer");
    }

    @Test
    void aRequeuedDeliveryComesBackWhileTheOnesAroundItAreAcknowledgedOnce() throws Exception {
        publish(5);
        AtomicInteger refusals = new AtomicInteger();
        consumer = start(new BrokerConsumer.Pacing(250, RECOVERY, Duration.ofMillis(20)), body -> {
            if (body.equals("m-2") && refusals.getAndIncrement() == 0) {
                return Settlement.REQUEUE;
            }
            return ack(body);
        });

        awaitHandled(5);
        awaitDepth(0);
        assertThat(refusals).hasValue(2);
        assertThat(handled).allSatisfy((body, times) -> assertThat(times).as(body).hasValue(1));
    }

    @Test
    void aChannelTheBrokerClosedIsReplacedAndWhatItHadNotAcknowledgedIsHandledAgain() throws Exception {
        publish(3);
        AtomicInteger failures = new AtomicInteger();
        consumer = new BrokerConsumer("test-consumer", queue.factory(), List.of(queue.name()),
                new BrokerConsumer.Pacing(250, RECOVERY, NEVER), (q, body) -> ack(text(body)), () -> { },
                reason -> failures.incrementAndGet());
        consumer.start();
        awaitHandled(3);

        queue.factory().resetConnection();

        awaitHandled(6);
        assertThat(failures).hasValue(1);
        assertThat(handled).allSatisfy((body, times) -> assertThat(times).as(body).hasValue(2));
    }

    private Settlement ack(String body) {
        handled.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet();
        handledTotal.increment();
        return Settlement.ACK;
    }

    private BrokerConsumer start(BrokerConsumer.Pacing pacing, Function<String, Settlement> handler) {
        BrokerConsumer c = new BrokerConsumer("test-consumer", queue.factory(), List.of(queue.name()), pacing,
                (q, body) -> handler.apply(text(body)), () -> { }, reason -> { });
        c.start();
        return c;
    }

    /** Puts {@code n} messages {@code m-0 … m-(n-1)} on the queue. */
    private void publish(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            queue.publish("m-" + i);
        }
    }

    private void awaitHandled(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handledTotal.sum() == n);
    }

    private void awaitDepth(long n) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.depth() == n);
    }

    private static Thread.State consumerThreadState() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("test-consumer"))
                .map(Thread::getState).findFirst().orElse(Thread.State.TERMINATED);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
