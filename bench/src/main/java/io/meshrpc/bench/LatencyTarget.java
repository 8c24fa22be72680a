package io.meshrpc.bench;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An absolute p99 target, for the scenarios that have no raw baseline to be compared with: the
 * matchmaker look-ups (issue 4: cached look-up p99 under 5 µs, REST look-up p99 under 5 ms on two
 * cores). Printed next to the numbers, never asserted.
 *
 * @param scenario   the scenario it applies to
 * @param p99LimitUs the p99 must stay strictly below this, in microseconds
 */
public record LatencyTarget(String scenario, double p99LimitUs) {

    static final Map<String, LatencyTarget> TARGETS = Map.of(
            "matchmaker-lookup-cached", new LatencyTarget("matchmaker-lookup-cached", 5),
            "matchmaker-lookup-rest", new LatencyTarget("matchmaker-lookup-rest", 5_000));

    static Optional<LatencyTarget> of(String scenario) {
        return Optional.ofNullable(TARGETS.get(scenario));
    }

    /** {@code p99 < 5 µs}, {@code p99 < 5 ms}. */
    public String describe() {
        return "p99 < " + (p99LimitUs >= 1_000 ? fmt(p99LimitUs / 1_000) + " ms" : fmt(p99LimitUs) + " µs");
    }

    /** Whether {@code result} met it; {@code null} when there is nothing to judge (failed, no latency). */
    public Boolean met(ScenarioResult result) {
        double p99 = result.latency().p99Us();
        return result.failed() || Double.isNaN(p99) ? null : p99 < p99LimitUs;
    }

    /** {@code met}, {@code MISSED} or {@code n/a}, as the table's target lines say it. */
    public String verdict(ScenarioResult result) {
        Boolean met = met(result);
        return met == null ? "n/a" : met ? "met" : "MISSED";
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
