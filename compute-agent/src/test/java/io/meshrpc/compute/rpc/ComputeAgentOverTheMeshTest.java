package io.meshrpc.compute.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;

import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.compute.hypervisor.BuildFault;
import io.meshrpc.compute.hypervisor.Hypervisor;
import io.meshrpc.compute.hypervisor.HypervisorProperties;
import io.meshrpc.compute.notify.CapacityReporter;
import io.meshrpc.compute.notify.InventoryAnnouncer;
import io.meshrpc.compute.notify.StateNotifier;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.compute.InstanceNotFoundException;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.gateway.HostInventory;
import io.meshrpc.services.gateway.InstanceEvent;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.SchedulerApi;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * An agent, a gateway and a scheduler as real nodes over loopback ZeroMQ; the gateway and the
 * scheduler only record what the agent tells them.
 */
class ComputeAgentOverTheMeshTest {

    private final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private final List<MeshNode> nodes = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Hypervisor hypervisor = new Hypervisor("compute-1",
            new HypervisorProperties(4, 4096, Duration.ofMillis(50), Duration.ofHours(1), 5900, BuildFault.NONE));
    private final RecordingGateway gateway = new RecordingGateway();
    private final RecordingScheduler scheduler = new RecordingScheduler();
    private CapacityReporter reporter;
    private ComputeApi compute;

    @RpcEndpoint(topic = GatewayApi.TOPIC)
    static final class RecordingGateway implements GatewayApi {
        final BlockingQueue<InstanceEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<HostInventory> inventories = new LinkedBlockingQueue<>();

        @Override
        public void instanceStateChanged(InstanceEvent event) {
            events.add(event);
        }

        @Override
        public void hostInventory(HostInventory inventory) {
            inventories.add(inventory);
        }
    }

    @RpcEndpoint(topic = SchedulerApi.TOPIC)
    static final class RecordingScheduler implements SchedulerApi {
        volatile CapacityReport last;

        @Override
        public Destination selectDestination(BuildRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateCapacity(CapacityReport report) {
            last = report;
        }
    }

    private MeshNode build(String id) {
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .defaultTimeout(Duration.ofSeconds(5)).build();
        nodes.add(node);
        return node;
    }

    @BeforeEach
    void startCluster() {
        build("gateway-1").addEndpoints(List.of(gateway));
        build("scheduler-1").addEndpoints(List.of(scheduler));
        MeshNode agent = build("compute-1");
        HypervisorProperties properties = new HypervisorProperties(4, 4096, Duration.ofMillis(50),
                Duration.ofHours(1), 5900, BuildFault.NONE);
        reporter = new CapacityReporter(agent.client(), hypervisor, properties, timer);
        agent.addEndpoints(List.of(new ComputeEndpoint(hypervisor, properties, new StateNotifier(agent.client(), agent.notifier()),
                reporter, timer)));
        nodes.forEach(MeshNode::start);
        compute = build("api-1").start().client().proxy(ComputeApi.class, "compute-1");
    }

    @AfterEach
    void stop() {
        nodes.forEach(MeshNode::stop);
        timer.shutdownNow();
    }

    private InstanceEvent nextEvent() throws InterruptedException {
        InstanceEvent event = gateway.events.poll(5, TimeUnit.SECONDS);
        assertThat(event).as("an instance event within 5 s").isNotNull();
        return event;
    }

    @Test
    void aBuildBecomesActiveAndTheGatewayAndSchedulerHearOfIt() throws Exception {
        compute.buildInstance(new InstanceSpec("i-1", "vm1", 2, 1024));

        assertThat(nextEvent()).isEqualTo(InstanceEvent.of("i-1", "compute-1", InstanceStatus.ACTIVE));
        Awaitility.await().until(() -> scheduler.last != null && scheduler.last.instanceIds().contains("i-1"));
        assertThat(scheduler.last.freeVcpus()).isEqualTo(2);
        assertThat(compute.describeInstance("i-1").status()).isEqualTo(InstanceStatus.ACTIVE);
    }

    @Test
    void aBuildThatDoesNotFitIsReportedAsARetryableError() throws Exception {
        compute.buildInstance(new InstanceSpec("i-1", "big", 8, 1024));

        InstanceEvent event = nextEvent();
        assertThat(event.status()).isEqualTo(InstanceStatus.ERROR);
        assertThat(event.retryable()).isTrue();
        assertThat(event.reason()).contains("needs 8 vCPUs");
        assertThat(hypervisor.view().instances()).isEmpty();
    }

    @Test
    void theConsoleOfAnActiveInstanceIsItsHostAndPort() throws Exception {
        compute.buildInstance(new InstanceSpec("i-1", "vm1", 1, 512));
        nextEvent();

        assertThat(compute.getConsole("i-1")).isEqualTo(new ConsoleEndpoint("i-1", "compute-1", "vnc", 5900));
    }

    @Test
    void describingOrOpeningAnUnknownInstanceFailsWithInstanceNotFound() {
        assertThatThrownBy(() -> compute.describeInstance("i-404")).isInstanceOfSatisfying(RemoteException.class,
                e -> assertThat(e.remoteType()).isEqualTo(InstanceNotFoundException.TYPE));
        assertThatThrownBy(() -> compute.getConsole("i-404")).isInstanceOfSatisfying(RemoteException.class,
                e -> assertThat(e.remoteMessage()).isEqualTo("Instance i-404 is not on host compute-1"));
    }

    @Test
    void deletingFreesTheRoomAndIsAnnounced() throws Exception {
        compute.buildInstance(new InstanceSpec("i-1", "vm1", 4, 4096));
        nextEvent();

        compute.deleteInstance("i-1");

        assertThat(nextEvent().status()).isEqualTo(InstanceStatus.DELETED);
        Awaitility.await().until(() -> scheduler.last != null && scheduler.last.freeVcpus() == 4);
    }

    /** A second agent on the same mesh, with the sickness given. */
    private ComputeApi sickAgent(String name, BuildFault fault) {
        HypervisorProperties properties = new HypervisorProperties(4, 4096, Duration.ofMillis(50), Duration.ofHours(1),
                5900, fault);
        Hypervisor sick = new Hypervisor(name, properties);
        MeshNode node = build(name);
        node.addEndpoints(List.of(new ComputeEndpoint(sick, properties, new StateNotifier(node.client(), node.notifier()),
                new CapacityReporter(node.client(), sick, properties, timer), timer)));
        node.start();
        sickHypervisor = sick;
        return build("api-" + name).start().client().proxy(ComputeApi.class, name);
    }

    private Hypervisor sickHypervisor;

    @Test
    void anAgentThatIsReadyTellsEveryGatewayWhichInstancesItHolds() throws Exception {
        compute.buildInstance(new InstanceSpec("i-1", "vm1", 1, 512));
        assertThat(nextEvent().status()).isEqualTo(InstanceStatus.ACTIVE);
        MeshNode agent = nodes.get(2);

        new InventoryAnnouncer(agent.client(), hypervisor).onReady(new ApplicationReadyEvent(new SpringApplication(),
                new String[0], null, Duration.ZERO));

        HostInventory inventory = gateway.inventories.poll(5, TimeUnit.SECONDS);
        assertThat(inventory).isNotNull();
        assertThat(inventory.host()).isEqualTo("compute-1");
        assertThat(inventory.instanceIds()).containsExactly("i-1");
        assertThat(inventory.startedAt()).isNotNull();
    }

    @Test
    void anAgentToldToRefuseAnswersEveryBuildWithARetryableOverloadedError() throws Exception {
        ComputeApi sick = sickAgent("compute-sick", BuildFault.REFUSE);

        sick.buildInstance(new InstanceSpec("i-1", "vm1", 1, 512));

        InstanceEvent event = nextEvent();
        assertThat(event.host()).isEqualTo("compute-sick");
        assertThat(event.status()).isEqualTo(InstanceStatus.ERROR);
        assertThat(event.retryable()).isTrue();
        assertThat(event.reason()).isEqualTo("Host compute-sick is overloaded and refuses builds");
        assertThat(sickHypervisor.view().instances()).isEmpty();
    }

    @Test
    void anAgentToldToDropTakesTheBuildAndNeverAnswers() throws Exception {
        ComputeApi sick = sickAgent("compute-sick", BuildFault.DROP);

        sick.buildInstance(new InstanceSpec("i-1", "vm1", 1, 512)); // the cast is acknowledged: no exception
        compute.buildInstance(new InstanceSpec("i-2", "vm2", 1, 512)); // a healthy build after it, as a marker

        assertThat(nextEvent().instanceId()).isEqualTo("i-2");
        assertThat(gateway.events).isEmpty();
        assertThat(sickHypervisor.view().instances()).isEmpty();
    }
}
