package io.meshrpc.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Entry point of {@code bin/bench}: runs every scenario, one after the other in this JVM, and
 * prints them side by side with the meshrpc/raw ratios the project's targets are stated in.
 *
 * <p>One invocation runs all scenarios so that the baselines and meshrpc are measured on the same
 * machine, JVM and load, minutes apart: ratios from separate runs would compare machines as much
 * as code. Scenarios run sequentially so they never compete for the CPU. Exit status: 0 when every
 * scenario was measured (targets missed or not), 1 when one failed, 2 on a usage error.
 */
public final class BenchMain {

    /** Every scenario, in run order: each baseline before the meshrpc scenario compared with it. */
    static final Map<String, Supplier<Scenario>> SCENARIOS = scenarios();

    private BenchMain() {
    }

    /** Two nodes sending through {@code kind} only (policy {@code amqp}): meshrpc over the broker. */
    private static Supplier<MeshPair> brokerPair(BrokerUnderTest.Kind kind) {
        return () -> MeshPair.startWithBroker(BrokerUnderTest.start(kind), io.meshrpc.matchmaker.protocol.DeliveryPolicy.AMQP);
    }

    private static Map<String, Supplier<Scenario>> scenarios() {
        Map<String, Supplier<Scenario>> all = new LinkedHashMap<>();
        all.put("raw-zmq-cast", RawCastScenario::new);
        all.put("raw-zmq-echo", RawEchoScenario::new);
        all.put("zmq-cast", MeshCastScenario::new);
        all.put("zmq-call", MeshCallScenario::new);
        all.put("zmq-call-park", () -> new MeshCallScenario("zmq-call-park", MeshPair::startWithParkingCallers));
        all.put("grpc-call", GrpcCallScenario::new);
        all.put("nats-call", NatsCallScenario::new);
        all.put("envelope-codec", () -> new EnvelopeCodecScenario(EnvelopeCodecScenario.Encoding.JSON));
        all.put("envelope-codec-binary", () -> new EnvelopeCodecScenario(EnvelopeCodecScenario.Encoding.BINARY));
        all.put("raw-rabbitmq-cast", () -> new RawAmqpCastScenario(BrokerUnderTest.Kind.RABBITMQ));
        all.put("raw-rabbitmq-call", () -> new RawAmqpCallScenario(BrokerUnderTest.Kind.RABBITMQ));
        all.put("rabbitmq-cast", () -> new MeshCastScenario("rabbitmq-cast", brokerPair(BrokerUnderTest.Kind.RABBITMQ)));
        all.put("rabbitmq-call", () -> new MeshCallScenario("rabbitmq-call", brokerPair(BrokerUnderTest.Kind.RABBITMQ)));
        all.put("raw-qpid-cast", () -> new RawAmqpCastScenario(BrokerUnderTest.Kind.QPID));
        all.put("raw-qpid-call", () -> new RawAmqpCallScenario(BrokerUnderTest.Kind.QPID));
        all.put("qpid-cast", () -> new MeshCastScenario("qpid-cast", brokerPair(BrokerUnderTest.Kind.QPID)));
        all.put("qpid-call", () -> new MeshCallScenario("qpid-call", brokerPair(BrokerUnderTest.Kind.QPID)));
        all.put("zmq-first-outage", OutageScenario::new);
        all.put("curve-zmq-cast", () -> new MeshCastScenario("curve-zmq-cast", MeshPair::startWithCurve));
        all.put("curve-zmq-call", () -> new MeshCallScenario("curve-zmq-call", MeshPair::startWithCurve));
        all.put("matchmaker-lookup-cached", MatchmakerCachedLookupScenario::new);
        all.put("matchmaker-lookup-rest", MatchmakerRestLookupScenario::new);
        all.put("fanout-wide", FanoutWideScenario::new);
        return all;
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args));
    }

    static int run(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            checkNames(options.scenarios());
        } catch (IllegalArgumentException ex) {
            System.err.println("bench: " + ex.getMessage());
            System.err.println(BenchOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            System.out.println(BenchOptions.USAGE);
            return 0;
        }
        List<ScenarioResult> results = runAll(options);
        List<FleetResult> fleet = FleetBench.runAll(options);   // matchmaker at fleet size: after the rest
        System.out.println();
        if (!results.isEmpty() || fleet.isEmpty()) {
            ResultTable.print(results, System.out);
        }
        if (!fleet.isEmpty()) {
            System.out.println();
            FleetBench.print(fleet, System.out);
        }
        if (options.json() != null && !writeJson(results, fleet, options)) {
            return 1;
        }
        return results.stream().anyMatch(ScenarioResult::failed) || fleet.stream().anyMatch(FleetResult::failed) ? 1 : 0;
    }

    private static void checkNames(Set<String> names) {
        for (String name : names) {
            if (!SCENARIOS.containsKey(name) && !FleetBench.known(name)) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + String.join(", ", SCENARIOS.keySet()) + ", " + FleetBench.FULL_REFRESH + ", "
                        + FleetBench.FLEET + " (or " + FleetBench.FLEET + "-<N>)");
            }
        }
    }

    private static List<ScenarioResult> runAll(BenchOptions options) {
        ScenarioRunner runner = new ScenarioRunner(options.warmup(), options.measure(), options.rounds());
        Progress.say("%s run: %d s warm-up + %d s measured per scenario%s", options.quick() ? "quick" : "full",
                options.warmup().toSeconds(), options.measure().toSeconds(), options.rounds() > 1
                        ? ", in " + options.rounds() + " rounds interleaved with the scenarios it is compared with" : "");
        List<String> names = SCENARIOS.keySet().stream().filter(options::includes).toList();
        Map<String, ScenarioResult> byName = new LinkedHashMap<>();
        try {
            for (List<String> group : ScenarioGroups.of(names)) {
                List<Scenario> scenarios = group.stream().map(name -> SCENARIOS.get(name).get()).toList();
                runner.runGroup(scenarios).forEach(result -> byName.put(result.scenario(), result));
            }
        } finally {
            MatchmakerFleet.closeShared();
        }
        List<ScenarioResult> results = new ArrayList<>();
        names.forEach(name -> results.add(byName.get(name)));
        return results;
    }

    private static boolean writeJson(List<ScenarioResult> results, List<FleetResult> fleet, BenchOptions options) {
        try {
            if (fleet.isEmpty()) {
                JsonWriter.write(results, options.json());
            } else {
                java.nio.file.Path parent = options.json().toAbsolutePath().getParent();
                if (parent != null) {
                    java.nio.file.Files.createDirectories(parent);
                }
                java.nio.file.Files.writeString(options.json(), FleetBench.json(JsonWriter.toJson(results), fleet));
            }
            Progress.say("results written to %s", options.json());
            return true;
        } catch (IOException ex) {
            System.err.println("bench: cannot write " + options.json() + ": " + ex);
            return false;
        }
    }
}
