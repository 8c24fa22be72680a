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
 * <p>The targets (DESIGN.md): cast throughput at least half of raw ACKed JeroMQ, call p50 within
 * 1.5x and p99 within 2x of the raw echo. Ratios are meshrpc over raw, so throughput wants a high
 * ratio and latency a low one. A ratio is {@code NaN} when either side was not measured.
 *
 * @param scenario        the meshrpc scenario
 * @param baseline        the raw scenario it is compared with
 * @param throughputRatio msgs/s of the scenario over the baseline's
 * @param p50Ratio        p50 latency over the baseline's
 * @param p99Ratio        p99 latency over the baseline's
 */
public record Comparison(String scenario, String baseline, double throughputRatio, double p50Ratio,
                         double p99Ratio) {

    /** Scenario to its baseline; the cast is judged on throughput, the call on latency. */
    static final Map<String, String> BASELINES = Map.of("zmq-cast", "raw-zmq-cast", "zmq-call", "raw-zmq-echo");

    static final double MIN_CAST_THROUGHPUT = 0.5;
    static final double MAX_CALL_P50 = 1.5;
    static final double MAX_CALL_P99 = 2.0;

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
        return results.stream()
                .filter(r -> BASELINES.containsKey(r.scenario()) && byName.containsKey(BASELINES.get(r.scenario())))
                .map(r -> between(r, byName.get(BASELINES.get(r.scenario()))))
                .collect(Collectors.toMap(Comparison::scenario, Function.identity()));
    }

    private static Comparison between(ScenarioResult mesh, ScenarioResult raw) {
        return new Comparison(mesh.scenario(), raw.scenario(), mesh.msgsPerS() / raw.msgsPerS(),
                mesh.latency().p50Us() / raw.latency().p50Us(), mesh.latency().p99Us() / raw.latency().p99Us());
    }

    /** The ratio column of the table. */
    public String describe() {
        if (isCast()) {
            return String.format(Locale.ROOT, "%.2fx msgs/s", throughputRatio);
        }
        return String.format(Locale.ROOT, "p50 %.2fx, p99 %.2fx", p50Ratio, p99Ratio);
    }

    /** The targets this comparison is judged on. */
    public List<Goal> goals() {
        List<Goal> goals = new ArrayList<>();
        if (isCast()) {
            goals.add(new Goal(scenario + " msgs/s >= " + MIN_CAST_THROUGHPUT + "x " + baseline, throughputRatio,
                    MIN_CAST_THROUGHPUT, true));
        } else {
            goals.add(new Goal(scenario + " p50 <= " + MAX_CALL_P50 + "x " + baseline, p50Ratio, MAX_CALL_P50, false));
            goals.add(new Goal(scenario + " p99 <= " + MAX_CALL_P99 + "x " + baseline, p99Ratio, MAX_CALL_P99, false));
        }
        return goals;
    }

    private boolean isCast() {
        return scenario.endsWith("-cast");
    }

    static Optional<Comparison> find(Map<String, Comparison> comparisons, String scenario) {
        return Optional.ofNullable(comparisons.get(scenario));
    }
}
