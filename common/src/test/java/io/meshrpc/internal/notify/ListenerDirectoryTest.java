package io.meshrpc.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.Priority;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** How a publisher learns the pools of the listener nodes, over real sockets, with a clock of its own. */
class ListenerDirectoryTest {

    @NotificationListener(pool = "feed")
    static final class Feed {
        public void on(Notification n) {
        }
    }

    private final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private final SimpleMeterRegistry publisherMeters = new SimpleMeterRegistry();
    private final List<MeshNode> nodes = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private ListenerDirectory directory;
    private MeshNode listener;

    private void start() {
        listener = MeshNode.builder().nodeId("feed-1").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .notificationListeners(new Feed()).build().start();
        MeshNode publisher = MeshNode.builder().nodeId("compute-1").matchmaker(matchmaker)
                .meterRegistry(publisherMeters).zmq(ZmqSettings.loopback(0).withAckTimeout(Duration.ofMillis(300)))
                .build().start();
        nodes.add(listener);
        nodes.add(publisher);
        directory = new ListenerDirectory(matchmaker, publisher.client(), now::get);
    }

    @AfterEach
    void stop() {
        nodes.forEach(MeshNode::stop);
    }

    /** How many of the publisher's questions to listener nodes were sent with {@code outcome}. */
    private double asked(String outcome) {
        return publisherMeters.find(RpcMetrics.SENT).tag("topic", ListenerPoolsEndpoint.TOPIC).tag("kind", "CALL")
                .tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** How many questions did not reach their node. */
    private double failedAsks() {
        return publisherMeters.find(RpcMetrics.SENT).tag("topic", ListenerPoolsEndpoint.TOPIC).tag("kind", "CALL")
                .counters().stream().filter(c -> !"ok".equals(c.getId().getTag("outcome")))
                .mapToDouble(c -> c.count()).sum();
    }

    private Map<String, List<NodeRef>> pools() throws Exception {
        return directory.pools("notifications", Priority.INFO).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aListenerIsAskedOnceForItsPoolsAndAgainOnlyWhenItsAnswerIsFiveMinutesOld() throws Exception {
        start();
        NodeRef feed = new NodeRef("feed-1", listener.endpoint());

        assertThat(pools()).isEqualTo(Map.of("feed", List.of(feed)));
        assertThat(pools()).isEqualTo(Map.of("feed", List.of(feed)));
        assertThat(asked("ok")).as("asked once for two events").isEqualTo(1);

        now.addAndGet(ListenerDirectory.REFRESH_AFTER.toNanos() + 1);
        assertThat(pools()).as("the old answer serves while the new one comes").isEqualTo(Map.of("feed", List.of(feed)));
        org.awaitility.Awaitility.await("asked again once the answer was five minutes old")
                .atMost(Duration.ofSeconds(10)).until(() -> asked("ok") == 2);
    }

    @Test
    void aListedNodeThatDoesNotAnswerIsLeftOutAndAskedAgainAfterTenSeconds() throws Exception {
        start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        matchmaker.register(new NodeRef("ghost", "tcp://127.0.0.1:" + closedPort), Set.of(ListenerPoolsEndpoint.TOPIC));

        assertThat(pools()).as("the ghost is left out").containsOnlyKeys("feed");
        double failedOnce = failedAsks();
        assertThat(failedOnce).as("the ghost was asked").isGreaterThanOrEqualTo(1);

        pools();
        assertThat(failedAsks()).as("not asked again within 10 s")
                .isEqualTo(failedOnce);

        now.addAndGet(ListenerDirectory.RETRY_AFTER.toNanos() + 1);
        assertThat(pools()).containsOnlyKeys("feed");
        assertThat(failedAsks()).as("asked again after 10 s")
                .isGreaterThan(failedOnce);
    }
}
