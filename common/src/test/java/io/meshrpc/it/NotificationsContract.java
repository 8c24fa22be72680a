package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.Notifier;
import io.meshrpc.api.Priority;
import io.meshrpc.node.MeshNode;

/**
 * Notifications through a real broker, run by a subclass per broker: listener pools, priorities,
 * filters and the durability of a pool's queue.
 */
abstract class NotificationsContract {

    /** The events of one pool, across its members: event id to how many members handled it. */
    static final Map<String, Map<String, Integer>> HANDLED = new ConcurrentHashMap<>();
    static final List<String> AUDITED = new CopyOnWriteArrayList<>();

    record Instance(String id, String host) {
    }

    @NotificationListener(pool = "feed")
    static final class Feed {
        public void on(Notification n, Instance payload) {
            HANDLED.computeIfAbsent("feed", p -> new ConcurrentHashMap<>()).merge(n.id(), 1, Integer::sum);
            assertThat(payload.host()).isNotNull();
        }
    }

    @NotificationListener(pool = "billing", priorities = Priority.INFO)
    static final class Billing {
        public void on(Notification n) {
            HANDLED.computeIfAbsent("billing", p -> new ConcurrentHashMap<>()).merge(n.id(), 1, Integer::sum);
        }
    }

    /** Only the end of an instance's creation, only from compute publishers, only for tenant t-1. */
    @NotificationListener(pool = "audit", eventType = "compute\\.instance\\.create\\.end",
            publisherId = "compute\\..*", context = "tenant=t-1")
    static final class Audit {
        public void on(Notification n) {
            AUDITED.add(n.eventType() + " " + n.publisherId() + " " + n.context().get("tenant"));
        }
    }

    protected BrokerCluster cluster;

    abstract BrokerCluster newCluster();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        HANDLED.clear();
        AUDITED.clear();
    }

    private MeshNode listener(String nodeId, Object listener) {
        NotificationListener l = listener.getClass().getAnnotation(NotificationListener.class);
        cluster.usesPool(l.topic(), l.pool());
        return cluster.start(cluster.builder(nodeId, io.meshrpc.node.RoutingSettings.of(
                io.meshrpc.matchmaker.protocol.DeliveryPolicy.AMQP)).notificationListeners(listener));
    }

    private Notifier notifier(String nodeId, String publisherId) {
        return cluster.start(cluster.builder(nodeId, io.meshrpc.node.RoutingSettings.of(
                io.meshrpc.matchmaker.protocol.DeliveryPolicy.AMQP)).publisherId(publisherId)).notifier();
    }

    private static int handled(String pool) {
        return HANDLED.getOrDefault(pool, Map.of()).size();
    }

    @Test
    void everyPoolGetsEveryEventAndOneMemberOfAPoolHandlesEach() throws Exception {
        cluster = newCluster();
        listener("feed-1", new Feed());
        listener("feed-2", new Feed());
        listener("billing-1", new Billing());
        listener("billing-2", new Billing());
        Notifier compute = notifier("compute-1", "compute.compute-1");

        for (int i = 0; i < 40; i++) {
            compute.notify(Notifier.DEFAULT_TOPIC, Priority.INFO, "compute.instance.create.end",
                    new Instance("i-" + i, "compute-1")).get(10, TimeUnit.SECONDS);
        }

        Awaitility.await("both pools handled all 40").atMost(Duration.ofSeconds(20))
                .until(() -> handled("feed") == 40 && handled("billing") == 40);
        assertThat(HANDLED.get("feed").values()).as("each event once in pool feed").containsOnly(1);
        assertThat(HANDLED.get("billing").values()).as("each event once in pool billing").containsOnly(1);
    }

    @Test
    void aPoolReceivesOnlyThePrioritiesItSubscribedTo() throws Exception {
        cluster = newCluster();
        listener("billing-1", new Billing());
        listener("feed-1", new Feed());
        Notifier compute = notifier("compute-1", "compute.compute-1");

        compute.notify(Notifier.DEFAULT_TOPIC, Priority.ERROR, "compute.instance.create.error",
                new Instance("i-1", "compute-1")).get(10, TimeUnit.SECONDS);
        compute.info("compute.instance.create.end", new Instance("i-2", "compute-1")).get(10, TimeUnit.SECONDS);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handled("feed") == 2 && handled("billing") == 1);
    }

    @Test
    void aPoolThatWasDownReceivesTheEventsPublishedMeanwhile() throws Exception {
        cluster = newCluster();
        MeshNode first = listener("feed-1", new Feed());
        Notifier compute = notifier("compute-1", "compute.compute-1");
        compute.info("compute.instance.create.end", new Instance("i-0", "compute-1")).get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handled("feed") == 1);

        first.stop();
        for (int i = 1; i <= 5; i++) {
            compute.info("compute.instance.delete.end", new Instance("i-" + i, "compute-1")).get(10, TimeUnit.SECONDS);
        }
        assertThat(handled("feed")).as("nobody of the pool is up").isEqualTo(1);
        listener("feed-2", new Feed());

        Awaitility.await("the events published while the pool was down").atMost(Duration.ofSeconds(20))
                .until(() -> handled("feed") == 6);
    }

    @Test
    void aFilterDropsTheEventsItDoesNotMatch() throws Exception {
        cluster = newCluster();
        listener("audit-1", new Audit());
        listener("feed-1", new Feed()); // sees everything: tells when the last event has passed
        Notifier compute = notifier("compute-1", "compute.compute-1");
        Notifier scheduler = notifier("scheduler-1", "scheduler.scheduler-1");
        Instance i = new Instance("i-1", "compute-1");

        compute.notify("notifications", Priority.INFO, "compute.instance.create.end", i, Map.of("tenant", "t-1")).get();
        compute.notify("notifications", Priority.INFO, "compute.instance.create.start", i, Map.of("tenant", "t-1")).get();
        compute.notify("notifications", Priority.INFO, "compute.instance.create.end", i, Map.of("tenant", "t-2")).get();
        scheduler.notify("notifications", Priority.INFO, "compute.instance.create.end", i, Map.of("tenant", "t-1")).get();
        compute.notify("notifications", Priority.INFO, "compute.instance.create.end", i, Map.of()).get();

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handled("feed") == 5);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> filtered("audit") == 4);
        assertThat(AUDITED).containsExactly("compute.instance.create.end compute.compute-1 t-1");
    }

    @Test
    void poisonOnAPoolQueueIsDroppedAndThePoolKeepsHandlingEvents() throws Exception {
        cluster = newCluster();
        listener("feed-1", new Feed());
        Notifier compute = notifier("compute-1", "compute.compute-1");
        io.meshrpc.transport.amqp.AmqpTopology names = new io.meshrpc.transport.amqp.AmqpTopology(cluster.amqpSettings);
        org.springframework.amqp.rabbit.core.RabbitTemplate raw =
                new org.springframework.amqp.rabbit.core.RabbitTemplate(cluster.connections());
        String key = names.notifyKey(Notifier.DEFAULT_TOPIC, Priority.INFO);
        raw.send(names.notifyExchange(), key, new org.springframework.amqp.core.Message("{not json".getBytes()));
        raw.send(names.notifyExchange(), key, new org.springframework.amqp.core.Message(
                ("{\"v\":1,\"id\":\"bad-1\",\"kind\":\"CAST\",\"topic\":\"notifications\",\"method\":\"x\","
                        + "\"args\":[{\"priority\":\"loud\"}]}").getBytes()));

        compute.info("compute.instance.create.end", new Instance("i-1", "compute-1")).get(10, TimeUnit.SECONDS);

        Awaitility.await("the real event after the poison").atMost(Duration.ofSeconds(20))
                .until(() -> handled("feed") == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received("feed", "rejected") == 2);
    }

    @Test
    void debugAndSampleTravelOverZeroMqAndTheOtherPrioritiesThroughTheBrokerByDefault() throws Exception {
        cluster = newCluster();
        listener("feed-1", new Feed());
        Notifier compute = notifier("compute-1", "compute.compute-1");

        for (Priority p : Priority.values()) {
            compute.notify(Notifier.DEFAULT_TOPIC, p, "compute.instance.exists", new Instance("i-" + p, "compute-1"))
                    .get(10, TimeUnit.SECONDS);
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> handled("feed") == Priority.values().length);
        assertThat(handledVia("zmq")).containsExactlyInAnyOrder("debug", "sample");
        assertThat(handledVia("amqp")).containsExactlyInAnyOrder("audit", "info", "warn", "error", "critical");
    }

    /** The priorities of the events pool feed handled from {@code transport}. */
    private List<String> handledVia(String transport) {
        return cluster.nodes().stream().flatMap(node -> node.metrics().registry()
                .find(io.meshrpc.internal.notify.NotificationDispatcher.RECEIVED).tag("pool", "feed")
                .tag("outcome", "handled").tag("transport", transport).counters().stream())
                .filter(c -> c.count() > 0).map(c -> c.getId().getTag("priority")).toList();
    }

    private double received(String pool, String outcome) {
        return cluster.nodes().stream().mapToDouble(node -> node.metrics().registry()
                .find(io.meshrpc.internal.notify.NotificationDispatcher.RECEIVED).tag("pool", pool)
                .tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum()).sum();
    }

    private double filtered(String pool) {
        return received(pool, "filtered");
    }
}
