package io.meshrpc.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured outcome of one scenario: a row of the table and an object of the JSON file.
 *
 * @param scenario  the scenario's name
 * @param msgsPerS  completed messages per second ({@code NaN} if the scenario failed)
 * @param seconds   length of the measurement, in-flight tail included
 * @param errors    messages that failed during the measurement
 * @param latency   latency percentiles of the completed messages
 * @param cpuUsPerMsg CPU time of the whole process (every thread: sender, receiver, JeroMQ, GC) per
 *                  completed message, in microseconds: on a small machine throughput is CPU-bound,
 *                  so this says what each message costs ({@code NaN} where the JVM cannot tell)
 * @param notes     warnings about the run (failures, unhandled casts); empty when all went well
 * @param failed    whether the scenario could not be measured at all
 * @param fields    the scenario's own figures ({@link Scenario#fields()}), in order; empty for most
 * @param roundsMsgsPerS msgs/s of each measured round, in order, where the measurement was split into
 *                  rounds interleaved with other scenarios'; empty where it ran in one piece
 */
public record ScenarioResult(String scenario, double msgsPerS, double seconds, long errors, LatencySummary latency,
                             double cpuUsPerMsg, List<String> notes, boolean failed, Map<String, Number> fields,
                             List<Double> roundsMsgsPerS) {

    public ScenarioResult {
        notes = List.copyOf(notes);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        roundsMsgsPerS = List.copyOf(roundsMsgsPerS);
    }

    /** A result without figures of its own. */
    public ScenarioResult(String scenario, double msgsPerS, double seconds, long errors, LatencySummary latency,
                          double cpuUsPerMsg, List<String> notes, boolean failed) {
        this(scenario, msgsPerS, seconds, errors, latency, cpuUsPerMsg, notes, failed, Map.of(), List.of());
    }

    /** The same result with the scenario's own figures. */
    public ScenarioResult withFields(Map<String, Number> scenarioFields) {
        return new ScenarioResult(scenario, msgsPerS, seconds, errors, latency, cpuUsPerMsg, notes, failed,
                scenarioFields, roundsMsgsPerS);
    }

    /** The same result with the msgs/s of its rounds (more than one: a single round is the whole). */
    public ScenarioResult withRounds(List<Double> msgsPerS) {
        return new ScenarioResult(scenario, this.msgsPerS, seconds, errors, latency, cpuUsPerMsg, notes, failed,
                fields, msgsPerS.size() > 1 ? msgsPerS : List.of());
    }

    public static ScenarioResult measured(String scenario, RunStats stats, LatencySummary latency, long cpuNanos,
                                          List<String> notes) {
        double cpuUsPerMsg = stats.completed() == 0 || cpuNanos < 0 ? Double.NaN
                : cpuNanos / 1_000.0 / stats.completed();
        return new ScenarioResult(scenario, stats.perSecond(), stats.seconds(), stats.errors(), latency, cpuUsPerMsg,
                notes, false);
    }

    public static ScenarioResult failed(String scenario, String reason) {
        return new ScenarioResult(scenario, Double.NaN, 0, 0, LatencySummary.EMPTY, Double.NaN, List.of(reason), true);
    }
}
