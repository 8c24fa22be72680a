package io.meshrpc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.transport.zmq.ZmqSettings;

/** Notifications travel through the broker: a node without one says so, at start or per event. */
class NotificationsWithoutBrokerTest {

    @NotificationListener(pool = "feed")
    static final class Feed {
        public void on(Notification n) {
        }
    }

    @Test
    void aNodeWithAListenerAndNoBrokerRefusesToStartBeforeItListensAnywhere() {
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        MeshNode node = MeshNode.builder().nodeId("feed-1").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .notificationListeners(new Feed()).build();

        assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("meshrpc.amqp.enabled=true");
        assertThat(matchmaker.node("feed-1")).as("it registered nothing").isEmpty();
    }

    @Test
    void aNotifierWithoutABrokerFailsEachEventSayingWhy() {
        MeshNode node = MeshNode.builder().nodeId("compute-1").matchmaker(new InMemoryMatchmaker())
                .zmq(ZmqSettings.loopback(0)).build().start();
        try {
            assertThatThrownBy(() -> node.notifier().info("compute.instance.create.end", "i-1").get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(NoRouteException.class, ex -> assertThat(ex.reason())
                            .isEqualTo(NoRouteException.Reason.TRANSPORT_UNAVAILABLE))
                    .hasMessageContaining("meshrpc.amqp.enabled=false");
        } finally {
            node.stop();
        }
    }
}
