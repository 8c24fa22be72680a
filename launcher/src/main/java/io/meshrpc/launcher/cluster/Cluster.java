package io.meshrpc.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshrpc.launcher.Out;

/**
 * The demo cluster on this machine: every service a separate JVM started from its module's jar,
 * recorded in a state folder ({@code .demo/}: {@code cluster.json}, {@code logs/}, and {@code jars/}, the
 * copies of the service jars the processes run from).
 *
 * <p>Start order: the broker and the matchmaker, then every node at once (the gateway, two
 * schedulers, consoleauth, the agents; ports are handed out in that order, so the first of each
 * kind gets its planned port when it is free); on a small machine the nodes' start-up is CPU bound, so
 * starting them together is the fastest. The same class serves {@code bin/demo} and the
 * end-to-end test. It only ever stops processes it recorded, and checks each one's start time so a
 * recycled pid is left alone.
 */
public final class Cluster {

    /** How long a stopping process may take to drain before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path stateDir;
    private final ProcessStarter starter;
    private final HealthWatch health;
    private final Out out;

    public Cluster(Path root, Path stateDir, Out out) {
        this.stateDir = stateDir;
        this.starter = new ProcessStarter(root, stateDir);
        this.health = new HealthWatch(out);
        this.out = out;
    }

    public Optional<ClusterState> state() {
        return ClusterState.read(stateDir);
    }

    /** The state of a running cluster (some nodes may have exited), or a clear error when there is none. */
    public ClusterState running() {
        ClusterState state = recorded();
        if (state.liveness() == Liveness.DEAD) {
            throw new IllegalStateException(dead(state) + "; bin/demo up starts a new one, bin/demo down clears it");
        }
        return state;
    }

    /** The recorded cluster, running or not, or a clear error when nothing is recorded. */
    public ClusterState recorded() {
        return state().orElseThrow(() -> new IllegalStateException(
                "No demo cluster is running (no state in " + stateDir + "); start one with: bin/demo up"));
    }

    /** How a dead cluster's leftover state is described, the same by every command. */
    public String dead(ClusterState state) {
        return "The demo cluster recorded in " + stateDir + " is dead: none of its " + state.processes().size()
                + " processes runs";
    }

    public HealthWatch health() {
        return health;
    }

    /** Starts the whole cluster and waits until every process is healthy; on failure stops what it started. */
    public ClusterState up(UpOptions options) {
        Optional<ClusterState> previous = state();
        if (previous.isPresent() && previous.get().liveness() != Liveness.DEAD) {
            List<ServiceProcess> alive = previous.get().alive();
            throw new IllegalStateException("A demo cluster is already running (state: " + stateDir + "; "
                    + alive.size() + " of " + previous.get().processes().size() + " processes run: "
                    + alive.stream().map(ServiceProcess::name).toList()
                    + "); see bin/demo status, or stop it with bin/demo down");
        }
        previous.ifPresent(dead -> out.step("%s; starting a new one in its place", dead(dead)));
        List<String> missing = starter.missingJars();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Not built: " + missing + "; run ./mvnw -q -DskipTests package -pl launcher -am");
        }
        starter.snapshotJars();
        Ports ports = new Ports(Set.of());
        BrokerChoice broker = options.broker().embedded()
                ? new BrokerChoice(BrokerChoice.QPID, options.network().advertiseHost(),
                ports.take(ServiceKind.BROKER.preferredPort()), "guest", "guest")
                : options.broker();
        if (!broker.embedded() && !reachable(broker)) {
            throw new IllegalStateException("RabbitMQ does not answer at " + broker.host() + ":" + broker.port()
                    + "; start it, give --spring.rabbitmq.host/port, or use the embedded broker (--broker qpid)");
        }
        ClusterState state = new ClusterState(broker, options.policy(), options.agentVcpus(), options.agentRamMb(),
                List.of(), options.network());
        state.write(stateDir);
        Thread cleanup = new Thread(() -> stopAll(state().map(ClusterState::processes).orElse(List.of())));
        Runtime.getRuntime().addShutdownHook(cleanup);
        long start = System.nanoTime();
        try {
            List<ServiceProcess> first = new ArrayList<>();
            if (broker.embedded()) {
                out.step("starting the embedded Qpid Broker-J on :%d", broker.port());
                first.add(record(starter.start("broker", ServiceKind.BROKER, broker.port(), 0,
                        List.of("qpid", "--port", Integer.toString(broker.port()),
                                "--bind", options.network().bindHost()))));
            }
            int matchmakerPort = ports.take(ServiceKind.MATCHMAKER.preferredPort());
            out.step("starting the matchmaker on :%d", matchmakerPort);
            first.add(record(starter.start("matchmaker", ServiceKind.MATCHMAKER, matchmakerPort, 0,
                    MatchmakerArgs.of(matchmakerPort))));
            health.await(first, options.startTimeout());
            NodeArgs nodes = new NodeArgs(broker, options.policy(), matchmakerPort, options.agentVcpus(),
                    options.agentRamMb(), options.network());
            List<ServiceProcess> rest = new ArrayList<>();
            rest.add(startNode("gateway-1", ServiceKind.GATEWAY, ports, nodes));
            rest.add(startNode("scheduler-1", ServiceKind.SCHEDULER, ports, nodes));
            rest.add(startNode("consoleauth-1", ServiceKind.CONSOLEAUTH, ports, nodes));
            rest.add(startNode("scheduler-2", ServiceKind.SCHEDULER, ports, nodes));
            for (int i = 1; i <= options.computeAgents(); i++) {
                rest.add(startNode("compute-" + i, ServiceKind.COMPUTE, ports, nodes));
            }
            out.step("started %d nodes; waiting until each is healthy", rest.size());
            health.await(rest, options.startTimeout());
            Runtime.getRuntime().removeShutdownHook(cleanup);
            out.step("cluster up in %.1f s", (System.nanoTime() - start) / 1e9);
            return running();
        } catch (RuntimeException ex) {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            out.step("start failed; stopping what was started");
            down();
            throw ex;
        }
    }

    /** Stops every recorded process (agents first, broker last) and forgets the cluster. */
    public int down() {
        Optional<ClusterState> state = state();
        if (state.isEmpty()) {
            return 0;
        }
        int stopped = stopAll(state.get().processes());
        try {
            Files.deleteIfExists(stateDir.resolve(ClusterState.FILE));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return stopped;
    }

    /** Starts or stops agents until {@code count} run; returns the agents now running. */
    public List<ServiceProcess> scaleCompute(int count) {
        return scaleCompute(count, AgentSickness.NONE);
    }

    /**
     * Starts or stops agents until {@code count} run, the agents it starts sick as given (to watch the
     * gateway retry around them); returns the agents now running.
     */
    public List<ServiceProcess> scaleCompute(int count, AgentSickness sickness) {
        ClusterState state = running();
        List<ServiceProcess> agents = state.of(ServiceKind.COMPUTE).stream().filter(ServiceProcess::alive)
                .sorted(Comparator.comparingInt(Cluster::index)).toList();
        if (count > agents.size()) {
            Set<Integer> inUse = new HashSet<>();
            state.processes().forEach(p -> {
                inUse.add(p.httpPort());
                inUse.add(p.zmqPort());
            });
            Ports ports = new Ports(inUse);
            NodeArgs nodes = new NodeArgs(state.broker(), state.policy(), state.matchmaker().httpPort(),
                    state.agentVcpus(), state.agentRamMb(), state.network());
            int next = state.of(ServiceKind.COMPUTE).stream().mapToInt(Cluster::index).max().orElse(0) + 1;
            List<ServiceProcess> added = new ArrayList<>();
            for (int i = agents.size(); i < count; i++) {
                String name = "compute-" + next++;
                if (sickness != AgentSickness.NONE) {
                    out.step("%s will be sick: %s", name, sickness.wireName());
                }
                added.add(startNode(name, ServiceKind.COMPUTE, ports, nodes, sickness == AgentSickness.NONE ? List.of()
                        : List.of("--compute.build-fault=" + sickness.wireName())));
            }
            health.await(added, Duration.ofSeconds(150));
        } else {
            List<ServiceProcess> surplus = new ArrayList<>(agents.subList(count, agents.size()));
            java.util.Collections.reverse(surplus);
            for (ServiceProcess agent : surplus) {
                stop(agent.name());
            }
        }
        return running().of(ServiceKind.COMPUTE).stream().filter(ServiceProcess::alive).toList();
    }

    /** Stops one process gracefully (it drains and leaves the matchmaker) and forgets it. */
    public void stop(String name) {
        ServiceProcess p = running().process(name)
                .orElseThrow(() -> new IllegalArgumentException("No process named " + name));
        out.step("stopping %s (pid %d)", name, p.pid());
        stopAll(List.of(p));
        ClusterState.read(stateDir).map(s -> s.without(name)).ifPresent(s -> s.write(stateDir));
    }

    /** Kills one process at once (SIGKILL), as a crash would; it stays recorded, as dead. */
    public void kill(String name) {
        ServiceProcess p = running().process(name)
                .orElseThrow(() -> new IllegalArgumentException("No process named " + name));
        p.handle().ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        });
    }

    private ServiceProcess startNode(String name, ServiceKind kind, Ports ports, NodeArgs nodes) {
        return startNode(name, kind, ports, nodes, List.of());
    }

    private ServiceProcess startNode(String name, ServiceKind kind, Ports ports, NodeArgs nodes, List<String> extra) {
        int http = ports.take(kind.preferredPort());
        int zmq = ports.take(ServiceKind.FIRST_ZMQ_PORT);
        List<String> args = new ArrayList<>(nodes.forNode(name, kind, http, zmq));
        args.addAll(extra);
        return record(starter.start(name, kind, http, zmq, args));
    }

    /** Adds a started process to the state file at once, so a later 'down' finds it even if this run dies. */
    private synchronized ServiceProcess record(ServiceProcess p) {
        ClusterState state = ClusterState.read(stateDir).orElse(null);
        if (state == null) {
            throw new IllegalStateException("state file vanished under " + stateDir);
        }
        state.with(p).write(stateDir);
        return p;
    }

    private int stopAll(List<ServiceProcess> processes) {
        List<ServiceProcess> order = List.copyOf(processes);
        int stopped = 0;
        for (ServiceKind kind : List.of(ServiceKind.COMPUTE, ServiceKind.GATEWAY, ServiceKind.CONSOLEAUTH,
                ServiceKind.SCHEDULER, ServiceKind.MATCHMAKER, ServiceKind.BROKER)) {
            List<ProcessHandle> handles = order.stream().filter(p -> p.kind() == kind)
                    .flatMap(p -> p.handle().stream()).toList();
            handles.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : handles) {
                awaitExit(h);
                stopped++;
            }
        }
        return stopped;
    }

    private static void awaitExit(ProcessHandle h) {
        try {
            h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            h.destroyForcibly();
            h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> h).join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ex) {
            // it exited
        }
    }

    private static boolean reachable(BrokerChoice broker) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(broker.host(), broker.port()), 2000);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    static int index(ServiceProcess p) {
        String name = p.name();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    /** Command-line arguments of the matchmaker. */
    static final class MatchmakerArgs {
        private MatchmakerArgs() {
        }

        static List<String> of(int port) {
            return List.of("--server.port=" + port, "--spring.main.banner-mode=off",
                    "--meshrpc.matchmaker.sweep-interval=1s");
        }
    }

    /** Command-line arguments every mesh node gets, plus those of its kind. */
    record NodeArgs(BrokerChoice broker, String policy, int matchmakerPort, int agentVcpus, int agentRamMb,
                    Network network) {

        /** Agents report every 2 s; a scheduler drops an agent after 7 s of silence (a killed agent says nothing). */
        static final String REPORT_INTERVAL = "2s";
        static final String HOST_TTL = "7s";

        List<String> forNode(String name, ServiceKind kind, int httpPort, int zmqPort) {
            List<String> args = new ArrayList<>(List.of(
                    "--meshrpc.node-id=" + name,
                    "--server.port=" + httpPort,
                    "--meshrpc.zmq.port=" + zmqPort,
                    "--meshrpc.zmq.bind-host=" + network.bindHost(),
                    "--meshrpc.zmq.advertise-host=" + network.advertiseHost(),
                    "--meshrpc.matchmaker.type=rest",
                    "--meshrpc.matchmaker.url=http://" + network.advertiseHost() + ":" + matchmakerPort,
                    "--meshrpc.matchmaker.ttl=10s",
                    "--meshrpc.amqp.enabled=true",
                    "--spring.rabbitmq.host=" + broker.host(),
                    "--spring.rabbitmq.port=" + broker.port(),
                    "--spring.rabbitmq.username=" + broker.username(),
                    "--spring.rabbitmq.password=" + broker.password(),
                    "--meshrpc.routing.default-policy=" + policy,
                    "--spring.main.banner-mode=off"));
            if (kind == ServiceKind.COMPUTE) {
                args.add("--compute.vcpus=" + agentVcpus);
                args.add("--compute.ram-mb=" + agentRamMb);
                args.add("--compute.report-interval=" + REPORT_INTERVAL);
            } else if (kind == ServiceKind.SCHEDULER) {
                args.add("--scheduler.host-ttl=" + HOST_TTL);
            }
            return args;
        }
    }
}
