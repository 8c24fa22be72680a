package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.BuildRequest;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.it.Endpoints.HostRef;
import io.meshrpc.it.Endpoints.Scheduler;
import io.meshrpc.it.Endpoints.SchedulerApi;
import io.meshrpc.node.MeshNode;

/** The {@link RpcContract} over loopback ZeroMQ, and what only ZeroMQ does. */
class ZmqRpcTest extends RpcContract {

    @Override
    RpcCluster newCluster() {
        return new TestCluster();
    }

    private RpcClient client() {
        return cluster.start("api-1").client();
    }

    @Test
    void topicCallsAreSpreadRoundRobinOverTheTopicsNodes() throws Exception {
        for (int i = 1; i <= 3; i++) {
            cluster.start("sched-" + i, new Scheduler("sched-" + i));
        }
        RpcClient rpc = client();
        List<String> served = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(rpc.invoke(Target.topic("scheduler"), "whoami", String.class, null).get(10, TimeUnit.SECONDS)
                    .toString());
        }
        assertThat(served.subList(0, 3)).containsExactlyInAnyOrder("sched-1", "sched-2", "sched-3");
        assertThat(served.subList(3, 6)).isEqualTo(served.subList(0, 3));
    }

    @Test
    void callToANodeThatIsDownFailsWithinTheAckTimeout() {
        MeshNode doomed = cluster.start("sched-1", new Scheduler("sched-1"));
        String endpoint = doomed.endpoint();
        doomed.stop();
        // The directory still lists it, as a stale matchmaker view would.
        cluster.matchmaker().register(new io.meshrpc.matchmaker.NodeRef("sched-1", endpoint), Set.of("scheduler"));
        CompletableFuture<String> call = client().call(Target.topic("scheduler"), "whoami", null, String.class,
                Duration.ofSeconds(30));
        assertThatThrownBy(() -> call.get(TestCluster.ACK_TIMEOUT.toMillis() * 10, TimeUnit.MILLISECONDS)).cause()
                .isInstanceOfSatisfying(NoRouteException.class, ex -> {
                    assertThat(ex.reason()).isEqualTo(NoRouteException.Reason.NOT_ACKNOWLEDGED);
                    assertThat(ex.getMessage()).contains("sched-1").contains(endpoint);
                });
    }

    @Test
    void topicCastSkipsANodeThatRefusesAndReachesTheNext() throws Exception {
        Compute c1 = new Compute("c1");
        cluster.start("c1", c1);
        // c2 is listed for topic compute but serves only scheduler: it refuses compute messages.
        MeshNode wrong = cluster.start("c2", new Scheduler("c2"));
        cluster.matchmaker().register(new io.meshrpc.matchmaker.NodeRef("c2", wrong.endpoint()),
                Set.of("compute", "scheduler"));
        RpcClient rpc = client();
        Set<String> failures = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            rpc.cast(Target.topic("compute"), "buildInstance", "vm-" + i)
                    .exceptionally(ex -> {
                        failures.add(ex.toString());
                        return null;
                    }).get(10, TimeUnit.SECONDS);
        }
        assertThat(failures).isEmpty();
        c1.latch = new CountDownLatch(0);
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(c1.total).hasValue(4));
    }
}
