package io.meshrpc.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.Priority;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.transport.zmq.ZmqSettings;

/** Nodes without a broker: every priority travels over ZeroMQ, to the pools' live members. */
class NotificationsWithoutBrokerTest {

    static final List<String> HANDLED = new CopyOnWriteArrayList<>();

    @NotificationListener(pool = "feed")
    static final class Feed {
        public void on(Notification n) {
            HANDLED.add(n.priority().wireName() + " " + n.eventType());
        }
    }

    @Test
    void withoutABrokerEveryPriorityTravelsOverZeroMqToTheListeners() throws Exception {
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        MeshNode feed = MeshNode.builder().nodeId("feed-1").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .notificationListeners(new Feed()).build().start();
        MeshNode compute = MeshNode.builder().nodeId("compute-1").matchmaker(matchmaker)
                .zmq(ZmqSettings.loopback(0)).build().start();
        try {
            compute.notifier().info("compute.instance.create.end", "i-1").get(10, TimeUnit.SECONDS);
            compute.notifier().notify("notifications", Priority.CRITICAL, "compute.host.down", "h-1", null)
                    .get(10, TimeUnit.SECONDS);

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> HANDLED.size() == 2);
            assertThat(HANDLED).containsExactlyInAnyOrder("info compute.instance.create.end",
                    "critical compute.host.down");
        } finally {
            compute.stop();
            feed.stop();
            HANDLED.clear();
        }
    }
}
