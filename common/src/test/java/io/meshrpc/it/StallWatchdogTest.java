package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.meshrpc.actuate.MeshrpcHealthIndicator;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;

/** The talk's "compute stops processing queued messages", seen by health before it is an outage. */
class StallWatchdogTest {

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Every call blocks until released: a handler stuck on a dead dependency. */
    @RpcEndpoint(topic = "stuck")
    static final class Stuck {
        final CountDownLatch release = new CountDownLatch(1);

        public void work(String id) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void healthTurnsDownWhileAHandlerBlocksTheQueueAndUpWhenItMovesAgain() throws Exception {
        Stuck stuck = new Stuck();
        MeshNode node = cluster.start(MeshNode.builder().nodeId("stuck-1").endpoints(stuck).workers(1, 100)
                .stallThreshold(Duration.ofMillis(200))
                .zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT)));
        MeshNode sender = cluster.start("api");
        MeshrpcHealthIndicator health = new MeshrpcHealthIndicator(node);
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

        for (int i = 0; i < 3; i++) {
            sender.client().cast(Target.topic("stuck"), "work", "job-" + i).get(10, TimeUnit.SECONDS);
        }

        Awaitility.await().untilAsserted(() -> {
            Health down = health.health(true);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(down.getDetails().get("reason"))).contains("stalled")
                    .contains("meshrpc.server.stall-threshold");
        });
        stuck.release.countDown();
        Awaitility.await().untilAsserted(() -> assertThat(health.health(true).getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void healthIsDownOnceTheNodeStops() {
        MeshNode node = cluster.start("plain-1", new Endpoints.Compute("plain-1"));
        MeshrpcHealthIndicator health = new MeshrpcHealthIndicator(node);

        node.stop();

        assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.health(true).getDetails().get("reason"))).contains("not running");
    }
}
