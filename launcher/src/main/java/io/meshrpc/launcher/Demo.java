package io.meshrpc.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.meshrpc.launcher.broker.QpidCommand;
import io.meshrpc.launcher.cli.Args;
import io.meshrpc.launcher.cli.UsageException;
import io.meshrpc.launcher.cluster.AgentSickness;
import io.meshrpc.launcher.cluster.BrokerChoice;
import io.meshrpc.launcher.cluster.Cluster;
import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.Liveness;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.cluster.Network;
import io.meshrpc.launcher.cluster.UpOptions;
import io.meshrpc.launcher.ops.LoadRunner;
import io.meshrpc.launcher.ops.Migration;
import io.meshrpc.launcher.ops.ServerCounts;
import io.meshrpc.launcher.ops.TransportCounts;
import io.meshrpc.launcher.ops.TransportMeter;

/**
 * {@code bin/demo}: the demo cluster on this machine, no Docker. See {@code docs/demo.md}.
 * Exit status: 0 done, 1 failed (the reason is printed), 2 wrong command line.
 */
public final class Demo {

    static final String USAGE = """
            usage: bin/demo <command> [options]
              up [--compute N] [--broker qpid|rabbitmq] [--policy zmq-first|amqp|zmq]
                 [--agent-vcpus V] [--agent-ram-mb R] [--spring.rabbitmq.host=H --spring.rabbitmq.port=P ...]
                 [--bind ADDRESS] [--advertise HOST]
                                     start the cluster (default: 5 agents, embedded Qpid, zmq-first,
                                     listening on 127.0.0.1 only)
              status                 every process, its ports and health, messages per transport
              scale compute N [--sick drop|refuse]
                                     start or stop compute agents until N run (the ones started sick)
              load [--instances M] [--vcpus V] [--ram-mb R] [--delete]
                                     boot M instances (default 20) through the gateway; where they went
              migrate [--step-instances K]
                                     amqp -> zmq-first, controllers then agents one by one, under load
              down                   stop every process 'up' and 'scale' started
            options of every command: --state-dir DIR (default .demo)""";

    /**
     * How long {@code load} waits for each boot to end ACTIVE or ERROR: a boot that meets silent hosts
     * takes up to the gateway's attempts (3) times its build deadline (20 s), plus the scheduling.
     */
    static final Duration LOAD_SETTLE = Duration.ofSeconds(90);

    private final Out out;
    private final Path root;

    Demo(Out out, Path root) {
        this.out = out;
        this.root = root;
    }

    public static void main(String[] argv) {
        Out out = Out.system();
        try {
            Args args = Args.parse(argv);
            String command = args.positional(0, "help");
            if ("qpid".equals(command)) {
                QpidCommand.run(args.option("bind", Network.LOOPBACK), args.intOption("port", 5672, 1, 65535));
                return;
            }
            new Demo(out, Path.of("").toAbsolutePath()).run(command, args);
        } catch (UsageException ex) {
            System.err.println("bin/demo: " + ex.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            System.exit(1);
        } catch (RuntimeException ex) {
            System.err.println("bin/demo: " + ex.getMessage());
            System.exit(1);
        }
    }

    void run(String command, Args args) {
        Path stateDir = root.resolve(args.option("state-dir", ".demo"));
        Cluster cluster = new Cluster(root, stateDir, out);
        switch (command) {
            case "up" -> up(cluster, args);
            case "down" -> {
                args.rejectUnused();
                down(cluster, stateDir);
            }
            case "status" -> {
                args.rejectUnused();
                status(cluster);
            }
            case "scale" -> scale(cluster, args);
            case "load" -> load(cluster, args);
            case "migrate" -> {
                int perStep = args.intOption("step-instances", 10, 1, 1000);
                args.rejectUnused();
                new Migration(out).run(cluster.running(), perStep);
            }
            case "help", "--help", "-h" -> out.line("%s", USAGE);
            default -> throw new UsageException("unknown command '" + command + "'");
        }
    }

    private void up(Cluster cluster, Args args) {
        UpOptions options = upOptions(args, System.getenv());
        args.rejectUnused();
        ClusterState state = cluster.up(options);
        printUrls(state);
    }

    /** The options of {@code up}; RabbitMQ when asked or when a {@code spring.rabbitmq} setting is given. */
    static UpOptions upOptions(Args args, Map<String, String> env) {
        UpOptions defaults = UpOptions.defaults();
        Map<String, String> rabbit = args.withPrefix("spring.rabbitmq.");
        String host = rabbit.getOrDefault("spring.rabbitmq.host", env.get("SPRING_RABBITMQ_HOST"));
        String port = rabbit.getOrDefault("spring.rabbitmq.port", env.get("SPRING_RABBITMQ_PORT"));
        String user = rabbit.getOrDefault("spring.rabbitmq.username", env.get("SPRING_RABBITMQ_USERNAME"));
        String password = rabbit.getOrDefault("spring.rabbitmq.password", env.get("SPRING_RABBITMQ_PASSWORD"));
        boolean rabbitGiven = host != null || port != null || user != null || password != null;
        String brokerType = args.option("broker", rabbitGiven ? BrokerChoice.RABBITMQ : BrokerChoice.QPID);
        if (!List.of(BrokerChoice.QPID, BrokerChoice.RABBITMQ).contains(brokerType)) {
            throw new UsageException("--broker must be qpid or rabbitmq, was '" + brokerType + "'");
        }
        if (BrokerChoice.QPID.equals(brokerType) && rabbitGiven) {
            throw new UsageException("spring.rabbitmq settings are for --broker rabbitmq, not the embedded qpid");
        }
        BrokerChoice broker = defaults.broker();
        if (BrokerChoice.RABBITMQ.equals(brokerType)) {
            int amqpPort;
            try {
                amqpPort = port == null ? 5672 : Integer.parseInt(port);
            } catch (NumberFormatException ex) {
                throw new UsageException("spring.rabbitmq.port must be a number, was '" + port + "'");
            }
            broker = new BrokerChoice(BrokerChoice.RABBITMQ, host == null ? "127.0.0.1" : host, amqpPort,
                    user == null ? "guest" : user, password == null ? "guest" : password);
        }
        String policy = args.option("policy", UpOptions.DEFAULT_POLICY);
        if (!List.of("zmq-first", "amqp", "zmq").contains(policy)) {
            throw new UsageException("--policy must be zmq-first, amqp or zmq, was '" + policy + "'");
        }
        Network network;
        try {
            network = Network.of(args.option("bind", null), args.option("advertise", null));
        } catch (IllegalArgumentException ex) {
            throw new UsageException(ex.getMessage());
        }
        return defaults.withComputeAgents(args.intOption("compute", defaults.computeAgents(), 1, 50))
                .withBroker(broker).withPolicy(policy).withNetwork(network)
                .withAgentCapacity(args.intOption("agent-vcpus", defaults.agentVcpus(), 1, 1024),
                        args.intOption("agent-ram-mb", defaults.agentRamMb(), 64, 4_194_304));
    }

    private void scale(Cluster cluster, Args args) {
        if (!"compute".equals(args.positional(1, "")) || args.positional().size() != 3) {
            throw new UsageException("scale takes: scale compute N [--sick drop|refuse]");
        }
        int n;
        try {
            n = Integer.parseInt(args.positional(2, ""));
        } catch (NumberFormatException ex) {
            throw new UsageException("N must be a number, was '" + args.positional(2, "") + "'");
        }
        if (n < 1 || n > 50) {
            throw new UsageException("N must be 1..50, was " + n);
        }
        AgentSickness sickness;
        try {
            sickness = AgentSickness.parse(args.option("sick", AgentSickness.NONE.wireName()));
        } catch (IllegalArgumentException ex) {
            throw new UsageException(ex.getMessage());
        }
        args.rejectUnused();
        List<ServiceProcess> agents = cluster.scaleCompute(n, sickness);
        out.step("%d compute agents run: %s", agents.size(),
                String.join(", ", agents.stream().map(a -> a.name() + " :" + a.httpPort()).toList()));
    }

    private void load(Cluster cluster, Args args) {
        int instances = args.intOption("instances", 20, 1, 10_000);
        LoadRunner.Flavor flavor = new LoadRunner.Flavor(args.intOption("vcpus", 1, 1, 64),
                args.intOption("ram-mb", 512, 64, 262_144));
        boolean delete = args.has("delete");
        args.rejectUnused();
        ClusterState state = cluster.running();
        TransportMeter meter = new TransportMeter();
        LoadRunner load = new LoadRunner();
        TransportCounts before = meter.read(state);
        out.step("booting %d instances of %d vCPU / %d MiB through %s", instances, flavor.vcpus(), flavor.ramMb(),
                state.gateway().baseUrl());
        LoadRunner.Result result = load.boot(state, "load-" + System.currentTimeMillis() % 100_000, instances, flavor,
                8, LOAD_SETTLE);
        load.print(result, out);
        if (delete) {
            out.step("deleted %d instances", load.delete(state, result.accepted()));
        }
        out.line("messages sent during the load: %s", meter.read(state).minus(before).shares());
    }

    /** Stops what runs and forgets the cluster; a dead cluster's leftover state is cleared and said so. */
    private void down(Cluster cluster, Path stateDir) {
        Optional<ClusterState> state = cluster.state();
        if (state.isEmpty()) {
            out.step("nothing to stop: no demo cluster is recorded in %s", stateDir);
            return;
        }
        boolean dead = state.get().liveness() == Liveness.DEAD;
        int stopped = cluster.down();
        if (dead) {
            out.step("%s; cleared its state; logs stay in %s", cluster.dead(state.get()), stateDir.resolve("logs"));
        } else {
            out.step("stopped %d processes; logs stay in %s", stopped, stateDir.resolve("logs"));
        }
    }

    /** Every recorded process, dead ones included, and where to reach the cluster: ports move up when taken. */
    private void status(Cluster cluster) {
        ClusterState state = cluster.recorded();
        out.line("%-14s %-8s %-10s %6s %6s  %s", "process", "pid", "health", "http", "zmq", "log");
        for (ServiceProcess p : state.processes()) {
            out.line("%-14s %-8d %-10s %6d %6s  %s", p.name(), p.pid(), cluster.health().health(p), p.httpPort(),
                    p.zmqPort() == 0 ? "-" : Integer.toString(p.zmqPort()), root.relativize(Path.of(p.log())));
        }
        if (state.liveness() == Liveness.DEAD) {
            throw new IllegalStateException(cluster.dead(state) + "; bin/demo up starts a new one, bin/demo down "
                    + "clears it");
        }
        out.line("broker: %s; default policy %s", state.broker().describe(), state.policy());
        out.line("messages sent so far: %s", new TransportMeter().read(state).shares());
        out.line("instances: %s", ServerCounts.read(state).map(ServerCounts::describe).orElse("(the gateway does not answer)"));
        printWhere(state);
    }

    private void printUrls(ClusterState state) {
        printWhere(state);
        out.line("");
        out.line("try:  curl -s -X POST %s/api/v1/servers -H 'Content-Type: application/json' \\", state.gateway().baseUrl());
        out.line("           -d '{\"name\":\"vm1\",\"vcpus\":1,\"ramMb\":512}'");
        out.line("      bin/demo load --instances 50;  bin/demo migrate;  bin/demo down");
    }

    /** The URLs of the cluster as started: the ports actually taken, which move up when the planned one is busy. */
    private void printWhere(ClusterState state) {
        out.line("");
        // a cluster whose start was cut short may lack a gateway or even the matchmaker
        state.of(ServiceKind.GATEWAY).stream().findFirst().ifPresent(gateway -> {
            out.line("gateway     %s/api/v1/servers", gateway.baseUrl());
            out.line("dashboard   %s/dashboard", gateway.baseUrl());
            out.line("metrics     %s/actuator/metrics/meshrpc.messages.sent?tag=transport:zmq", gateway.baseUrl());
        });
        state.of(ServiceKind.MATCHMAKER).stream().findFirst()
                .ifPresent(matchmaker -> out.line("matchmaker  %s/api/v1/nodes", matchmaker.baseUrl()));
        for (ServiceProcess p : state.processes()) {
            if (p.kind().meshNode()) {
                out.line("%-11s %s%s", p.name(), p.healthUrl(), p.kind() == ServiceKind.SCHEDULER ? "   (hosts: "
                        + p.baseUrl() + "/api/v1/hosts)" : p.kind() == ServiceKind.COMPUTE ? "   (hypervisor: "
                        + p.baseUrl() + "/api/v1/hypervisor)" : "");
            }
        }
        out.line("broker      %s", state.broker().describe());
        state.processes().stream().findFirst()
                .ifPresent(p -> out.line("logs        %s", root.relativize(Path.of(p.log()).getParent())));
    }
}
