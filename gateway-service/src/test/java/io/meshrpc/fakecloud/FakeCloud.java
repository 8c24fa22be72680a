package io.meshrpc.fakecloud;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceNotFoundException;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.consoleauth.TokenCheck;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.gateway.HostInventory;
import io.meshrpc.services.gateway.InstanceEvent;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.NoValidHostException;
import io.meshrpc.services.scheduler.SchedulerApi;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * (Outside the gateway's package: its endpoints must not be picked up by the gateway's component scan.)
 * The services around the gateway as real mesh nodes with scripted behaviour: a scheduler, two
 * compute hosts and consoleauth. Each behaves like the real service on the wire (same topics,
 * method names, records and error types); tests change what they answer.
 */
public final class FakeCloud implements AutoCloseable {

    public static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

    public final Scheduler scheduler = new Scheduler();
    public final Map<String, Compute> computes = new ConcurrentHashMap<>();
    public final Consoleauth consoleauth = new Consoleauth();
    private final Matchmaker matchmaker;
    private final List<MeshNode> nodes = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    public FakeCloud(Matchmaker matchmaker) {
        this.matchmaker = matchmaker;
        start("scheduler-1", scheduler);
        start("consoleauth-1", consoleauth);
        for (String host : List.of("compute-1", "compute-2")) {
            MeshNode node = build(host);
            Compute compute = new Compute(host, node.client());
            computes.put(host, compute);
            node.addEndpoints(List.of(compute));
            node.start();
        }
    }

    private MeshNode build(String id) {
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .defaultTimeout(Duration.ofSeconds(5)).build();
        nodes.add(node);
        return node;
    }

    private void start(String id, Object endpoint) {
        build(id).addEndpoints(List.of(endpoint));
        nodes.get(nodes.size() - 1).start();
    }

    /** Stops one node, as if its process died. */
    public void stop(String nodeId) {
        nodes.stream().filter(n -> n.nodeId().equals(nodeId)).forEach(MeshNode::stop);
    }

    /** Makes the scheduler hang until the cloud closes (a latch, not a sleep). */
    public void schedulerHangs() {
        scheduler.behaviour = request -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return new Destination("compute-1", 0, 0);
        };
    }

    @Override
    public void close() {
        release.countDown();
        nodes.forEach(MeshNode::stop);
    }

    /** Picks the first host the request does not exclude, like a scheduler with two equal hosts. */
    @RpcEndpoint(topic = SchedulerApi.TOPIC)
    public static final class Scheduler implements SchedulerApi {
        public final List<BuildRequest> requests = new CopyOnWriteArrayList<>();
        public volatile Function<BuildRequest, Destination> behaviour = request -> List.of("compute-1", "compute-2")
                .stream().filter(h -> !request.excludedHosts().contains(h)).findFirst()
                .map(h -> new Destination(h, 1, 1024))
                .orElseThrow(() -> new NoValidHostException("No valid host for instance " + request.instanceId()
                        + ": every host was tried"));

        @Override
        public Destination selectDestination(BuildRequest request) {
            requests.add(request);
            return behaviour.apply(request);
        }

        @Override
        public void updateCapacity(CapacityReport report) {
        }
    }

    /** What a host does with a build. */
    public enum Mode { ACTIVATE, REFUSE, STAY_BUILDING }

    /** A host that announces its state changes to the gateways, as a real agent does. */
    @RpcEndpoint(topic = ComputeApi.TOPIC)
    public static final class Compute implements ComputeApi {
        public final String host;
        public final Map<String, InstanceInfo> instances = new ConcurrentHashMap<>();
        public final List<String> deleted = new CopyOnWriteArrayList<>();
        public volatile Mode mode = Mode.ACTIVATE;
        private final RpcClient rpc;

        Compute(String host, RpcClient rpc) {
            this.host = host;
            this.rpc = rpc;
        }

        @Override
        public void buildInstance(InstanceSpec spec) {
            if (mode == Mode.REFUSE) {
                tell(new InstanceEvent(spec.id(), host, InstanceStatus.ERROR, "Host " + host + " is full", true));
                return;
            }
            InstanceStatus status = mode == Mode.ACTIVATE ? InstanceStatus.ACTIVE : InstanceStatus.BUILDING;
            instances.put(spec.id(), new InstanceInfo(spec.id(), spec.name(), spec.vcpus(), spec.ramMb(), host, status));
            if (status == InstanceStatus.ACTIVE) {
                tell(InstanceEvent.of(spec.id(), host, InstanceStatus.ACTIVE));
            }
        }

        @Override
        public void deleteInstance(String instanceId) {
            deleted.add(instanceId);
            instances.remove(instanceId);
        }

        @Override
        public InstanceInfo describeInstance(String instanceId) {
            InstanceInfo info = instances.get(instanceId);
            if (info == null) {
                throw new InstanceNotFoundException(instanceId, host);
            }
            return info;
        }

        @Override
        public ConsoleEndpoint getConsole(String instanceId) {
            describeInstance(instanceId);
            return new ConsoleEndpoint(instanceId, host, "vnc", 5900);
        }

        /** Marks a building instance active without telling anyone (a lost event). */
        public void activateQuietly(String instanceId) {
            instances.computeIfPresent(instanceId, (id, i) -> new InstanceInfo(i.id(), i.name(), i.vcpus(), i.ramMb(),
                    host, InstanceStatus.ACTIVE));
        }

        /** Loses every instance, as a restarted agent does, and announces its (empty) inventory as one does. */
        public void restartEmpty(Instant at) {
            instances.clear();
            rpc.fanout(GatewayApi.TOPIC, GatewayApi.HOST_INVENTORY, new HostInventory(host, List.of(), at));
        }

        private void tell(InstanceEvent event) {
            rpc.fanout(GatewayApi.TOPIC, GatewayApi.INSTANCE_STATE_CHANGED, event);
        }
    }

    /** Issues {@code tok-<instance>} tokens and remembers what they open. */
    @RpcEndpoint(topic = ConsoleauthApi.TOPIC, version = ConsoleauthApi.VERSION)
    public static final class Consoleauth implements ConsoleauthApi {
        public final Map<String, ConsoleEndpoint> issued = new ConcurrentHashMap<>();

        @Override
        public ConsoleToken authorizeConsole(ConsoleEndpoint console) {
            String token = "tok-" + console.instanceId();
            issued.put(token, console);
            return new ConsoleToken(token, console.instanceId(), EXPIRY);
        }

        @Override
        public TokenCheck checkToken(String token) {
            ConsoleEndpoint console = issued.get(token);
            return console == null ? TokenCheck.invalid() : new TokenCheck(true, console, EXPIRY);
        }
    }
}
