package io.meshrpc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A meshrpc scenario set against its raw JeroMQ baseline, and the targets the project holds it to.
 *
 * <p>The targets (docs/benchmarks.md): cast throughput at least half of raw ACKed JeroMQ, call p50 within
 * 1.3x and p99 within 2x of the raw echo; over a broker, cast throughput at least 0.8x plain amqp-client
 * with the same guarantees and call p50 within 1.3x of its RPC; CURVE keeping at least 0.6x of the
 * plain cast. Ratios are meshrpc over raw, so throughput wants a high ratio and latency a low one. A
 * ratio is {@code NaN} when either side was not measured.
 *
 * @param scenario        the meshrpc scenario
 * @param baseline        the raw scenario it is compared with
 * @param throughputRatio msgs/s of the scenario over the baseline's
 * @param p50Ratio        p50 latency over the baseline's
 * @param p99Ratio        p99 latency over the baseline's
 * @param roundThroughputRatios msgs/s over the baseline's in each interleaved round; empty where the two
 *                        were not measured in rounds
 */
public record Comparison(String scenario, String baseline, double throughputRatio, double p50Ratio,
                         double p99Ratio, List<Double> roundThroughputRatios) {

    public Comparison {
        roundThroughputRatios = List.copyOf(roundThroughputRatios);
    }

    /** Scenario to its baseline; the cast is judged on throughput, the call on latency. */
    static final Map<String, String> BASELINES = Map.of("zmq-cast", "raw-zmq-cast", "zmq-call", "raw-zmq-echo",
            "zmq-call-park", "raw-zmq-echo",
            "rabbitmq-cast", "raw-rabbitmq-cast", "rabbitmq-call", "raw-rabbitmq-call",
            "qpid-cast", "raw-qpid-cast", "qpid-call", "raw-qpid-call");

    /** What CURVE costs: the encrypted scenario over the plain one; the cast has a target, the call is reported. */
    static final Map<String, String> CURVE_BASELINES = Map.of("curve-zmq-cast", "zmq-cast", "curve-zmq-call", "zmq-call");

    static final double MIN_CAST_THROUGHPUT = 0.5;
    static final double MAX_CALL_P50 = 1.3;
    static final double MAX_CALL_P99 = 2.0;
    static final double MIN_BROKER_CAST_THROUGHPUT = 0.8;
    static final double MIN_CURVE_CAST_THROUGHPUT = 0.6;
    /** meshrpc's call over ZeroMQ at most half the p50 of each peer's: twice as fast as either. */
    static final double MAX_CALL_P50_OVER_PEER = 0.5;
    /** The reference peers zmq-call is set against: what users would pick instead. */
    static final List<String> PEERS = List.of("grpc-call", "nats-call");
    /** The calls over ZeroMQ set against the peers: with the default settings, and with callers that park at once. */
    static final List<String> PEER_CALLS = List.of("zmq-call", "zmq-call-park");

    /** One target and whether this run met it. */
    public record Goal(String description, double ratio, double limit, boolean atLeast) {
        public boolean met() {
            return atLeast ? ratio >= limit : ratio <= limit;
        }
    }

    /** The comparison for every measured scenario that has a baseline among {@code results}. */
    public static Map<String, Comparison> of(List<ScenarioResult> results) {
        Map<String, ScenarioResult> byName = results.stream()
                .collect(Collectors.toMap(ScenarioResult::scenario, Function.identity()));
        Map<String, Comparison> out = new java.util.LinkedHashMap<>();
        for (ScenarioResult r : results) {
            String base = BASELINES.containsKey(r.scenario()) ? BASELINES.get(r.scenario())
                    : CURVE_BASELINES.get(r.scenario());
            if (base != null && byName.containsKey(base)) {
                out.put(r.scenario(), between(r, byName.get(base)));
            }
        }
        return out;
    }

    private static Comparison between(ScenarioResult mesh, ScenarioResult raw) {
        return new Comparison(mesh.scenario(), raw.scenario(), mesh.msgsPerS() / raw.msgsPerS(),
                mesh.latency().p50Us() / raw.latency().p50Us(), mesh.latency().p99Us() / raw.latency().p99Us(),
                roundRatios(mesh.roundsMsgsPerS(), raw.roundsMsgsPerS()));
    }

    /** msgs/s over the baseline's, round by round; empty unless both ran the same number of rounds. */
    private static List<Double> roundRatios(List<Double> mesh, List<Double> raw) {
        if (mesh.isEmpty() || mesh.size() != raw.size()) {
            return List.of();
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < mesh.size(); i++) {
            ratios.add(mesh.get(i) / raw.get(i));
        }
        return ratios;
    }

    /**
     * The throughput ratio of each round, as the targets' lines show it after the whole run's: for a
     * cast measured in rounds, such as {@code "; by round 0.49x, 0.53x, 0.55x"}; else empty.
     */
    public String describeRounds() {
        if (!isCast() || roundThroughputRatios.isEmpty()) {
            return "";
        }
        return "; by round " + roundThroughputRatios.stream().map(r -> String.format(Locale.ROOT, "%.2fx", r))
                .collect(Collectors.joining(", "));
    }

    /** The ratio column of the table. */
    public String describe() {
        if (isCast()) {
            return String.format(Locale.ROOT, "%.2fx msgs/s", throughputRatio);
        }
        return String.format(Locale.ROOT, "p50 %.2fx, p99 %.2fx", p50Ratio, p99Ratio);
    }

    /** The targets this comparison is judged on (none for the CURVE cost, which is only reported). */
    public List<Goal> goals() {
        List<Goal> goals = new ArrayList<>();
        if (CURVE_BASELINES.containsKey(scenario)) {
            if (isCast()) {
                goals.add(new Goal(scenario + " msgs/s >= " + MIN_CURVE_CAST_THROUGHPUT + "x " + baseline,
                        throughputRatio, MIN_CURVE_CAST_THROUGHPUT, true));
            }
            return goals;
        }
        boolean broker = !baseline.startsWith("raw-zmq");
        if (isCast()) {
            double min = broker ? MIN_BROKER_CAST_THROUGHPUT : MIN_CAST_THROUGHPUT;
            goals.add(new Goal(scenario + " msgs/s >= " + min + "x " + baseline, throughputRatio, min, true));
        } else if (broker) {
            goals.add(new Goal(scenario + " p50 <= " + MAX_CALL_P50 + "x " + baseline, p50Ratio, MAX_CALL_P50, false));
        } else {
            goals.add(new Goal(scenario + " p50 <= " + MAX_CALL_P50 + "x " + baseline, p50Ratio, MAX_CALL_P50, false));
            goals.add(new Goal(scenario + " p99 <= " + MAX_CALL_P99 + "x " + baseline, p99Ratio, MAX_CALL_P99, false));
        }
        return goals;
    }

    private boolean isCast() {
        return scenario.endsWith("-cast");
    }

    static final double MIN_ZMQ_OVER_BROKER = 5.0;
    static final double MIN_OUTAGE_OVER_BROKER = 0.8;

    /**
     * The broker targets, across scenarios of the same run: ZeroMQ cast throughput at least 5x the
     * broker's (RabbitMQ, or Qpid Broker-J where no RabbitMQ ran), and throughput during a
     * receiver outage under {@code zmq-first} at least 0.8x the plain broker path's.
     */
    public static List<Goal> brokerGoals(List<ScenarioResult> results) {
        Map<String, ScenarioResult> byName = results.stream().filter(r -> !r.failed())
                .collect(Collectors.toMap(ScenarioResult::scenario, Function.identity()));
        ScenarioResult broker = byName.containsKey("rabbitmq-cast") ? byName.get("rabbitmq-cast") : byName.get("qpid-cast");
        List<Goal> goals = new ArrayList<>();
        if (broker == null) {
            return goals;
        }
        if (byName.containsKey("zmq-cast")) {
            goals.add(new Goal("zmq-cast msgs/s >= " + MIN_ZMQ_OVER_BROKER + "x " + broker.scenario(),
                    byName.get("zmq-cast").msgsPerS() / broker.msgsPerS(), MIN_ZMQ_OVER_BROKER, true));
        }
        ScenarioResult outage = byName.get("zmq-first-outage");
        if (outage != null) {
            ScenarioResult sameBroker = outage.notes().stream().anyMatch(n -> n.contains("through the qpid"))
                    ? byName.getOrDefault("qpid-cast", broker) : broker;
            goals.add(new Goal("zmq-first-outage msgs/s >= " + MIN_OUTAGE_OVER_BROKER + "x " + sameBroker.scenario(),
                    outage.msgsPerS() / sameBroker.msgsPerS(), MIN_OUTAGE_OVER_BROKER, true));
        }
        return goals;
    }

    /**
     * meshrpc's call against the peers measured in the same run ({@code grpc-call}, {@code nats-call}):
     * the p50 of {@code zmq-call} (and of {@code zmq-call-park}) at most half of each one's.
     */
    public static List<Goal> peerGoals(List<ScenarioResult> results) {
        Map<String, ScenarioResult> byName = results.stream().filter(r -> !r.failed())
                .collect(Collectors.toMap(ScenarioResult::scenario, Function.identity()));
        List<Goal> goals = new ArrayList<>();
        for (String name : PEER_CALLS) {
            ScenarioResult call = byName.get(name);
            for (String peer : call == null ? List.<String>of() : PEERS) {
                ScenarioResult other = byName.get(peer);
                if (other != null) {
                    goals.add(new Goal(name + " p50 <= " + MAX_CALL_P50_OVER_PEER + "x " + peer,
                            call.latency().p50Us() / other.latency().p50Us(), MAX_CALL_P50_OVER_PEER, false));
                }
            }
        }
        return goals;
    }

    static Optional<Comparison> find(Map<String, Comparison> comparisons, String scenario) {
        return Optional.ofNullable(comparisons.get(scenario));
    }
}
