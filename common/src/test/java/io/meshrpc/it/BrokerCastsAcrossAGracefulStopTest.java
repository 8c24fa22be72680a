package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.qpid.EmbeddedQpidBroker;

/**
 * A node's broker consumer acknowledges in batches; a graceful stop in the middle of a flood must still
 * acknowledge everything the node took, or the broker would hand it to another node to run again, and
 * give back everything it did not take. ({@code BrokerConsumerTest} shows the consumer's own part: the
 * acks a stop sends before the channel closes.)
 */
class BrokerCastsAcrossAGracefulStopTest {

    private static final int CASTS = 5_000;
    private static final int WINDOW = 100;

    private final Closeables closeables = new Closeables();

    @AfterEach
    void stopAll() throws Exception {
        closeables.close();
    }

    @Test
    void castsToATopicRunOnceWhenOneOfItsNodesStopsInTheMiddleOfAFlood() throws Exception {
        EmbeddedQpidBroker broker = closeables.keep(EmbeddedQpidBroker.start());
        BrokerCluster cluster = closeables.keep(new BrokerCluster("127.0.0.1", broker.port(), ""));
        RoutingSettings brokerOnly = RoutingSettings.of(DeliveryPolicy.AMQP);
        Endpoints.Compute a = new Endpoints.Compute("a");
        Endpoints.Compute b = new Endpoints.Compute("b");
        MeshNode stopping = cluster.start("a", brokerOnly, a);
        cluster.start("b", brokerOnly, b);
        MeshNode sender = cluster.start("api", brokerOnly);

        // A window of casts in flight; the flood pauses halfway until the stop begins, so that the
        // second half is sent while the node stops.
        Semaphore window = new Semaphore(WINDOW);
        CountDownLatch stopBegins = new CountDownLatch(1);
        List<CompletableFuture<Void>> sent = new ArrayList<>(CASTS);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < CASTS; i++) {
                if (i == CASTS / 2) {
                    awaitQuietly(stopBegins);
                }
                window.acquireUninterruptibly();
                sent.add(sender.client().cast(Target.topic("compute"), "build_instance", "vm-" + i)
                        .whenComplete((ok, error) -> window.release()));
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.total.get() >= CASTS / 10);
        stopBegins.countDown();
        stopping.stop();
        sending.get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.total.get() + b.total.get() >= CASTS);
        Map<String, Integer> runs = new HashMap<>();
        a.handled.forEach((id, n) -> runs.merge(id, n.get(), Integer::sum));
        b.handled.forEach((id, n) -> runs.merge(id, n.get(), Integer::sum));
        assertThat(runs).hasSize(CASTS);
        assertThat(runs).allSatisfy((id, n) -> assertThat(n).as(id + " runs").isEqualTo(1));
        assertThat(b.total.get()).as("the rest of the flood went to the node left").isPositive();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
