package io.meshrpc.scheduler.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.RemoteException;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.scheduler.SchedulerProperties;
import io.meshrpc.scheduler.placement.HostStateCache;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.NoValidHostException;
import io.meshrpc.services.scheduler.SchedulerApi;
import io.meshrpc.transport.zmq.ZmqSettings;

/** Two scheduler replicas and a caller, real nodes over loopback ZeroMQ. */
class SchedulerOverTheMeshTest {

    private final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private final List<MeshNode> nodes = new ArrayList<>();
    private final HostStateCache replica1 = cache();
    private final HostStateCache replica2 = cache();

    private static HostStateCache cache() {
        return new HostStateCache(Clock.systemUTC(), new SchedulerProperties(Duration.ofSeconds(10), 100,
                Duration.ofSeconds(30), Duration.ofSeconds(2), 32, Duration.ofMinutes(1)));
    }

    /** A scheduler node, its endpoint publishing through the node's own notifier. */
    private MeshNode scheduler(String id, HostStateCache cache) {
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .defaultTimeout(Duration.ofSeconds(5)).build();
        node.addEndpoints(java.util.List.of(new SchedulerEndpoint(cache, node.notifier())));
        nodes.add(node.start());
        return node;
    }

    private MeshNode node(String id, Object... endpoints) {
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(matchmaker).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0)).defaultTimeout(Duration.ofSeconds(5)).build().start();
        nodes.add(node);
        return node;
    }

    @AfterEach
    void stop() {
        nodes.forEach(MeshNode::stop);
    }

    @Test
    void bothReplicasHearACapacityFanoutAndEitherPlacesTheInstance() throws Exception {
        scheduler("scheduler-1", replica1);
        scheduler("scheduler-2", replica2);
        MeshNode agent = node("compute-1");

        agent.client().fanout(SchedulerApi.TOPIC, SchedulerApi.UPDATE_CAPACITY,
                new CapacityReport("compute-1", 8, 8192, 8, 8192, List.of())).get(5, TimeUnit.SECONDS);
        Awaitility.await().until(() -> replica1.hosts().size() == 1 && replica2.hosts().size() == 1);

        SchedulerApi scheduler = agent.client().proxy(SchedulerApi.class);
        assertThat(scheduler.selectDestination(BuildRequest.of("i-1", 2, 1024)).host()).isEqualTo("compute-1");
        assertThat(scheduler.selectDestination(BuildRequest.of("i-2", 2, 1024)).host()).isEqualTo("compute-1");
    }

    @Test
    void aCallerSeesNoValidHostByItsRemoteTypeWithTheReason() {
        scheduler("scheduler-1", replica1);
        SchedulerApi scheduler = node("api-1").client().proxy(SchedulerApi.class);

        assertThatThrownBy(() -> scheduler.selectDestination(BuildRequest.of("i-1", 2, 1024)))
                .isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo(NoValidHostException.TYPE);
                    assertThat(e.remoteMessage()).contains("no compute host has reported");
                });
    }

    @Test
    void aReportWithoutHostIsAnsweredWithAnError() {
        scheduler("scheduler-1", replica1);
        MeshNode caller = node("api-1");

        assertThatThrownBy(() -> caller.client().invoke(io.meshrpc.api.Target.topic(SchedulerApi.TOPIC),
                        SchedulerApi.UPDATE_CAPACITY, Void.class, Duration.ofSeconds(5),
                        new CapacityReport(null, 1, 1, 1, 1, List.of())).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RemoteException.class).hasMessageContaining("report.host is required");
        assertThat(replica1.hosts()).isEmpty();
    }
}
