package io.meshrpc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.Notifier;
import io.meshrpc.api.Priority;
import io.meshrpc.internal.notify.NotificationDispatcher;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Notifications over ZeroMQ, on real sockets and without a broker: the publisher finds the pools
 * through the matchmaker and the listener nodes, and sends each event to one live member of each.
 */
class NotificationsOverZmqTest {

    /** Per pool, event id to the members that handled it. */
    static final Map<String, Map<String, List<String>>> HANDLED = new ConcurrentHashMap<>();

    private final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private final List<MeshNode> nodes = new ArrayList<>();

    /** A member of a pool, which records which node handled what. */
    abstract static class Member {
        private final String nodeId;

        Member(String nodeId) {
            this.nodeId = nodeId;
        }

        void record(String pool, Notification n) {
            HANDLED.computeIfAbsent(pool, p -> new ConcurrentHashMap<>())
                    .computeIfAbsent(n.id(), id -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(nodeId);
        }
    }

    @NotificationListener(pool = "feed")
    static final class Feed extends Member {
        Feed(String nodeId) {
            super(nodeId);
        }

        public void on(Notification n) {
            record("feed", n);
        }
    }

    @NotificationListener(pool = "metering", priorities = Priority.SAMPLE)
    static final class Metering extends Member {
        Metering(String nodeId) {
            super(nodeId);
        }

        public void on(Notification n) {
            record("metering", n);
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(MeshNode::stop);
        HANDLED.clear();
    }

    private MeshNode start(MeshNode.Builder builder) {
        MeshNode node = builder.build().start();
        nodes.add(node);
        return node;
    }

    private MeshNode listener(String nodeId, Object listener, SimpleMeterRegistry registry) {
        return start(MeshNode.builder().nodeId(nodeId).matchmaker(matchmaker).meterRegistry(registry)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(Duration.ofMillis(500))).notificationListeners(listener));
    }

    private Notifier publisher(String nodeId) {
        return start(MeshNode.builder().nodeId(nodeId).matchmaker(matchmaker)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(Duration.ofMillis(500)))).notifier();
    }

    private static Map<String, List<String>> handled(String pool) {
        return HANDLED.getOrDefault(pool, Map.of());
    }

    @Test
    void everyPoolGetsEverySampleOverZeroMqAndOneMemberOfAPoolHandlesEach() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        listener("feed-1", new Feed("feed-1"), registry);
        listener("feed-2", new Feed("feed-2"), registry);
        listener("metering-1", new Metering("metering-1"), registry);
        listener("metering-2", new Metering("metering-2"), registry);
        Notifier compute = publisher("compute-1");

        for (int i = 0; i < 40; i++) {
            compute.notify(Notifier.DEFAULT_TOPIC, Priority.SAMPLE, "compute.instance.cpu", Map.of("i", i))
                    .get(10, TimeUnit.SECONDS);
        }

        Awaitility.await("both pools handled all 40").atMost(Duration.ofSeconds(20))
                .until(() -> handled("feed").size() == 40 && handled("metering").size() == 40);
        for (String pool : List.of("feed", "metering")) {
            assertThat(handled(pool).values()).as("each event handled by one member of pool %s", pool)
                    .allSatisfy(members -> assertThat(members).hasSize(1));
            assertThat(handled(pool).values().stream().map(members -> members.get(0)).distinct())
                    .as("both members of pool %s took a share", pool).hasSize(2);
        }
        assertThat(registry.find(NotificationDispatcher.RECEIVED).tag("transport", "zmq").tag("outcome", "handled")
                .counters().stream().mapToDouble(c -> c.count()).sum()).isEqualTo(80);
    }

    @Test
    void aPoolReceivesOnlyThePrioritiesItSubscribedToOverZeroMq() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        listener("feed-1", new Feed("feed-1"), registry);
        listener("metering-1", new Metering("metering-1"), registry);
        Notifier compute = publisher("compute-1");

        compute.notify(Notifier.DEFAULT_TOPIC, Priority.DEBUG, "compute.instance.debug", "d").get(10, TimeUnit.SECONDS);
        compute.notify(Notifier.DEFAULT_TOPIC, Priority.SAMPLE, "compute.instance.cpu", "s").get(10, TimeUnit.SECONDS);

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> handled("feed").size() == 2 && handled("metering").size() == 1);
        assertThat(registry.find(NotificationDispatcher.RECEIVED).tag("pool", "metering").counters())
                .as("the debug event was not even sent to metering, which takes samples only")
                .allSatisfy(c -> assertThat(c.getId().getTag("priority")).isEqualTo("sample"));
    }

    @Test
    void aMemberThatDoesNotAcknowledgeIsPassedOverAndItsPoolStillGetsEveryEvent() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        listener("feed-1", new Feed("feed-1"), registry);
        MeshNode second = listener("feed-2", new Feed("feed-2"), registry);
        Notifier compute = publisher("compute-1");
        compute.notify(Notifier.DEFAULT_TOPIC, Priority.DEBUG, "first", "0").get(10, TimeUnit.SECONDS);

        // feed-2 dies without leaving the directory: still listed, its receiver gone
        String deadEndpoint = second.endpoint();
        second.stop();
        matchmaker.register(new NodeRef("feed-2", deadEndpoint), Set.of("meshrpc.notify"));
        for (int i = 1; i <= 4; i++) {
            compute.notify(Notifier.DEFAULT_TOPIC, Priority.DEBUG, "next", String.valueOf(i)).get(10, TimeUnit.SECONDS);
        }

        Awaitility.await("every event reached pool feed").atMost(Duration.ofSeconds(10))
                .until(() -> handled("feed").size() == 5);
        assertThat(handled("feed").values()).allSatisfy(members -> assertThat(members).hasSize(1));
        assertThat(handled("feed").values().stream().filter(m -> m.get(0).equals("feed-1")).count())
                .as("feed-1 handled at least the four sent after feed-2 died").isGreaterThanOrEqualTo(4);
    }

    @Test
    void anEventThatNoMemberOfAPoolAcknowledgedFailsNamingThePool() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeshNode only = listener("feed-1", new Feed("feed-1"), registry);
        listener("metering-1", new Metering("metering-1"), registry);
        Notifier compute = publisher("compute-1");
        compute.notify(Notifier.DEFAULT_TOPIC, Priority.SAMPLE, "first", "0").get(10, TimeUnit.SECONDS);

        String deadEndpoint = only.endpoint();
        only.stop();
        matchmaker.register(new NodeRef("feed-1", deadEndpoint), Set.of("meshrpc.notify"));

        assertThatThrownBy(() -> compute.notify(Notifier.DEFAULT_TOPIC, Priority.SAMPLE, "lost", "1")
                .get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(NoRouteException.class, ex -> assertThat(ex.reason())
                        .isEqualTo(NoRouteException.Reason.NO_NODES))
                .hasMessageContaining("pool 'feed'").hasMessageNotContaining("pool 'metering'");
        Awaitility.await("the pool with a live member got it anyway").atMost(Duration.ofSeconds(10))
                .until(() -> handled("metering").size() == 2);
    }

    @Test
    void aNodeInTwoPoolsOfATopicHandlesEachEventOncePerPool() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        start(MeshNode.builder().nodeId("both-1").matchmaker(matchmaker).meterRegistry(registry)
                .zmq(ZmqSettings.loopback(0)).notificationListeners(new Feed("both-1"), new Metering("both-1")));
        Notifier compute = publisher("compute-1");

        for (int i = 0; i < 5; i++) {
            compute.notify(Notifier.DEFAULT_TOPIC, Priority.SAMPLE, "compute.instance.cpu", i).get(10, TimeUnit.SECONDS);
        }

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> handled("feed").size() == 5 && handled("metering").size() == 5);
        assertThat(handled("feed").keySet()).as("the same events, by id, in both pools")
                .isEqualTo(handled("metering").keySet());
    }

    @Test
    void anEventOverTheSizeLimitFailsBeforeAnythingIsSent() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        listener("feed-1", new Feed("feed-1"), registry);
        Notifier compute = start(MeshNode.builder().nodeId("compute-1").matchmaker(matchmaker).maxMessageBytes(2048)
                .zmq(ZmqSettings.loopback(0))).notifier();

        assertThatThrownBy(() -> compute.notify(Notifier.DEFAULT_TOPIC, Priority.DEBUG, "big", "x".repeat(4096))
                .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(io.meshrpc.api.MessageTooLargeException.class);
        compute.notify(Notifier.DEFAULT_TOPIC, Priority.DEBUG, "small", "x").get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled("feed").size() == 1);
    }

    @Test
    void anEventNoPoolListensToIsDroppedAndItsPublisherCarriesOn() throws Exception {
        Notifier compute = publisher("compute-1");

        assertThat(compute.notify(Notifier.DEFAULT_TOPIC, Priority.DEBUG, "nobody.listens", "x")
                .get(10, TimeUnit.SECONDS)).isNull();
    }
}
