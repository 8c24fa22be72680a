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
import io.meshrpc.api.Ping;
import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.api.VersionCapException;
import io.meshrpc.it.Endpoints.BuildRequest;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.it.Endpoints.HostRef;
import io.meshrpc.it.Endpoints.InventoryOne;
import io.meshrpc.it.Endpoints.InventoryTwo;
import io.meshrpc.it.Endpoints.Scheduler;
import io.meshrpc.it.Endpoints.SchedulerApi;
import io.meshrpc.node.MeshNode;

/**
 * call, cast and fanout between real nodes, run over each path by a subclass: ZeroMQ
 * ({@link ZmqRpcTest}), Qpid Broker-J and RabbitMQ with policy {@code amqp}. The tests are written
 * once; what only one path does (ACK timeouts, round robin) lives in its subclass.
 */
abstract class RpcContract {

    protected final RpcCluster cluster = newCluster();

    /** The nodes under test, all sending by the path this subclass checks. */
    abstract RpcCluster newCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RpcClient client;

    /** The sending node, started on first use (node ids are unique: a second "api-1" would share its reply queue). */
    private RpcClient client() {
        if (client == null) {
            client = cluster.start("api-1").client();
        }
        return client;
    }

    @Test
    void requestFromAnOlderSenderWithoutAPrimitiveFieldIsReadWithItsDefault() throws Exception {
        cluster.start("sched-1", new Scheduler("sched-1"));
        // an older sender's BuildRequest had no ramMb yet
        HostRef host = client().call(Target.topic("scheduler"), "select_destination",
                java.util.Map.of("name", "vm1", "vcpus", 2), HostRef.class, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(host.host()).isEqualTo("sched-1");
    }

    @Test
    void callReturnsTheRemoteResult() throws Exception {
        cluster.start("sched-1", new Scheduler("sched-1"));
        HostRef host = client().call(Target.topic("scheduler"), "select_destination",
                new BuildRequest("vm1", 2, 512), HostRef.class, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(host).isEqualTo(new HostRef("sched-1", 62));
    }

    @Test
    void callWithSeveralArgumentsMapsThemInOrder() throws Exception {
        cluster.start("sched-1", new Scheduler("sched-1"));
        Integer sum = client().<Integer>invoke(Target.topic("scheduler"), "add", Integer.class, null, 40, 2)
                .get(10, TimeUnit.SECONDS);
        assertThat(sum).isEqualTo(42);
    }

    @Test
    void serverTargetedCastReachesExactlyThatNode() throws Exception {
        Compute c1 = new Compute("compute-1");
        Compute c2 = new Compute("compute-2");
        Compute c3 = new Compute("compute-3");
        cluster.start("compute-1", c1);
        cluster.start("compute-2", c2);
        cluster.start("compute-3", c3);
        RpcClient rpc = client();
        c2.latch = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            rpc.cast(Target.topic("compute").server("compute-2"), "buildInstance", "vm-" + i).get(10, TimeUnit.SECONDS);
        }
        assertThat(c2.latch.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(c2.total).hasValue(20);
        assertThat(c1.total).hasValue(0);
        assertThat(c3.total).hasValue(0);
    }

    @Test
    void fanoutReachesEveryNodeOfTheTopicNotOnlyTheFirst() throws Exception {
        List<Compute> computes = List.of(new Compute("c1"), new Compute("c2"), new Compute("c3"), new Compute("c4"));
        CountDownLatch all = new CountDownLatch(computes.size());
        for (Compute c : computes) {
            c.latch = all;
            cluster.start(c.name, c);
        }
        client().fanout("compute", "refreshFlavors", "v2").get(10, TimeUnit.SECONDS);
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(computes).allSatisfy(c -> assertThat(c.total).hasValue(1));
    }

    @Test
    void typedProxyRoundTripsRecords() throws Exception {
        cluster.start("sched-1", new Scheduler("sched-1"));
        SchedulerApi scheduler = client().proxy(SchedulerApi.class);
        assertThat(scheduler.selectDestination(new BuildRequest("vm", 4, 1024))).isEqualTo(new HostRef("sched-1", 60));
        assertThat(scheduler.hosts(7).get(10, TimeUnit.SECONDS)).containsExactly(new HostRef("sched-1", 7));
    }

    @Test
    void rpcMethodGivesAJavaMethodItsWireName() throws Exception {
        Compute compute = new Compute("compute-1");
        compute.latch = new CountDownLatch(1);
        cluster.start("compute-1", compute);
        client().cast(Target.topic("compute"), "build_instance", "vm-snake").get(10, TimeUnit.SECONDS);
        assertThat(compute.latch.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(compute.handled).containsOnlyKeys("vm-snake");
    }

    @Test
    void rpcMethodOnTheSharedInterfaceRenamesTheImplementation() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        CompletableFuture<HostRef> javaName = client().call(Target.topic("scheduler"), "selectDestination",
                new BuildRequest("vm", 1, 1), HostRef.class);
        assertThatThrownBy(() -> javaName.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RemoteException.class,
                        ex -> assertThat(ex.remoteType()).isEqualTo(RemoteException.UNKNOWN_METHOD));
    }

    @Test
    void remoteExceptionCarriesTypeAndMessage() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        CompletableFuture<String> call = client().call(Target.topic("scheduler"), "fail", "no valid host", String.class);
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RemoteException.class, ex -> {
                    assertThat(ex.remoteType()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(ex.remoteMessage()).isEqualTo("no valid host");
                    assertThat(ex.method()).isEqualTo("scheduler.fail");
                });
    }

    @Test
    void unknownMethodAnswersWithRemoteExceptionNamingIt() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        CompletableFuture<String> call = client().call(Target.topic("scheduler"), "launchMissiles", 1, String.class);
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RemoteException.class, ex -> {
                    assertThat(ex.remoteType()).isEqualTo(RemoteException.UNKNOWN_METHOD);
                    assertThat(ex.remoteMessage()).contains("launchMissiles").contains("scheduler");
                });
    }

    @Test
    void wrongArgumentsAnswerWithRemoteExceptionNamingTheMethod() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        CompletableFuture<Integer> wrongType = client().invoke(Target.topic("scheduler"), "add", Integer.class, null,
                "forty", 2);
        assertThatThrownBy(() -> wrongType.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RemoteException.class, ex -> {
                    assertThat(ex.remoteType()).isEqualTo(RemoteException.BAD_ARGUMENTS);
                    assertThat(ex.remoteMessage()).contains("scheduler.add");
                });
        CompletableFuture<Integer> wrongCount = client().invoke(Target.topic("scheduler"), "add", Integer.class, null, 1);
        assertThatThrownBy(() -> wrongCount.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RemoteException.class, ex -> {
                    assertThat(ex.remoteType()).isEqualTo(RemoteException.BAD_ARGUMENTS);
                    assertThat(ex.remoteMessage()).contains("scheduler.add").contains("expected 2");
                });
    }

    @Test
    void slowHandlerPastTheDeadlineGivesRpcTimeoutException() {
        cluster.start("sched-1", new Scheduler("sched-1"));
        CompletableFuture<String> call = client().call(Target.topic("scheduler"), "slow", 3_000L, String.class,
                Duration.ofMillis(300));
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(RpcTimeoutException.class)
                .hasMessageContaining("scheduler.slow");
    }

    @Test
    void castToATopicNobodyServesFailsWithNoRoute() {
        CompletableFuture<Void> cast = client().cast(Target.topic("nobody"), "hello");
        assertThatThrownBy(() -> cast.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(NoRouteException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(NoRouteException.Reason.NO_NODES));
    }

    // ---------------------------------------------------------------- versions and namespaces

    private String inventory(Target target) throws Exception {
        return client().<String>invoke(target, "served", String.class, null).get(10, TimeUnit.SECONDS);
    }

    private void startInventory() {
        cluster.start("inv-1", new InventoryOne(), new InventoryTwo());
    }

    @Test
    void aCallIsServedByTheEndpointOfItsMajorWithACompatibleMinor() throws Exception {
        startInventory();
        assertThat(inventory(Target.topic("inventory").version("2.0"))).isEqualTo("2.1");
        assertThat(inventory(Target.topic("inventory").version("2.1"))).isEqualTo("2.1");
        assertThat(inventory(Target.topic("inventory").version("1.1"))).isEqualTo("1.3");
        assertThat(inventory(Target.topic("inventory"))).as("no version asks for 1.0").isEqualTo("1.3");
    }

    @Test
    void aNewerMinorThanServedIsRefusedWithUnsupportedVersion() {
        startInventory();
        assertThatThrownBy(() -> inventory(Target.topic("inventory").version("2.2"))).cause()
                .isInstanceOfSatisfying(RemoteException.class, ex -> assertThat(ex.remoteType())
                        .isEqualTo(RemoteException.UNSUPPORTED_VERSION))
                .hasMessageContaining("does not serve the default namespace at version 2.2; it serves version 1.3, "
                        + "version 2.1");
    }

    @Test
    void anotherMajorIsRefusedWithUnsupportedVersion() {
        startInventory();
        assertThatThrownBy(() -> inventory(Target.topic("inventory").version("3.0"))).cause()
                .isInstanceOfSatisfying(RemoteException.class, ex -> assertThat(ex.remoteType())
                        .isEqualTo(RemoteException.UNSUPPORTED_VERSION))
                .hasMessageContaining("at version 3.0");
    }

    @Test
    void anotherNamespaceIsRefusedWithUnsupportedVersion() {
        startInventory();
        assertThatThrownBy(() -> inventory(Target.topic("inventory").namespace("admin").version("1.0"))).cause()
                .isInstanceOfSatisfying(RemoteException.class, ex -> assertThat(ex.remoteType())
                        .isEqualTo(RemoteException.UNSUPPORTED_VERSION))
                .hasMessageContaining("does not serve namespace 'admin' at version 1.0");
    }

    @Test
    void aCappedClientPicksAVersionTheOlderServerServesAndIsRefusedAboveItsCap() throws Exception {
        cluster.start("inv-old", new InventoryTwo());
        RpcClient capped = cluster.startCapped("api-capped", java.util.Map.of("inventory", "2.1")).client();
        // as oslo's can_send_version: the newest version the cap allows
        String version = capped.canSendVersion("inventory", "2.2") ? "2.2" : "2.1";

        assertThat(capped.<String>invoke(Target.topic("inventory").version(version), "served", String.class, null)
                .get(10, TimeUnit.SECONDS)).isEqualTo("2.1");
        assertThatThrownBy(() -> capped.<String>invoke(Target.topic("inventory").version("2.2"), "served",
                String.class, null).get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(VersionCapException.class, ex -> assertThat(ex.cap()).hasToString("2.1"))
                .hasMessageContaining("above the cap 2.1");
    }

    @Test
    void pingAnswersWithTheNodeIdAndItsRoundTripWithoutReachingAnEndpoint() throws Exception {
        Compute compute = new Compute("c-1");
        cluster.start("c-1", compute);

        Ping ping = client().ping(Target.topic("compute").server("c-1")).get(10, TimeUnit.SECONDS);
        Ping anyNode = client().ping(Target.topic("compute")).get(10, TimeUnit.SECONDS);

        assertThat(ping.nodeId()).isEqualTo("c-1");
        assertThat(ping.roundTrip()).isPositive();
        assertThat(anyNode.nodeId()).isEqualTo("c-1");
        assertThat(compute.total.get()).as("no endpoint method ran").isZero();
    }
}
