package io.meshrpc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the results as the JSON list docs/benchmarks.md documents: one object per scenario with
 * {@code scenario, msgs_per_s, p50_us, p99_us, p999_us}, then the rest of what was measured
 * ({@code mean_us, max_us, cpu_us_per_msg, count, errors, seconds, failed, notes}) and, for a meshrpc scenario,
 * its {@code baseline} and ratios, for a scenario with an absolute {@link LatencyTarget} its
 * {@code target_p99_us} and {@code target_met}, and the scenario's own figures
 * ({@link Scenario#fields()}, such as {@code fanout-wide}'s {@code receivers}).
 *
 * <p>Written by hand because the format is flat and fixed; numbers that were not measured are
 * {@code null}.
 */
public final class JsonWriter {

    private JsonWriter() {
    }

    public static void write(List<ScenarioResult> results, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(results), StandardCharsets.UTF_8);
    }

    static String toJson(List<ScenarioResult> results) {
        Map<String, Comparison> comparisons = Comparison.of(results);
        List<String> objects = new ArrayList<>();
        // per call scenario ("zmq-call p50 <= 0.5x grpc-call": the first word and the last)
        Map<String, Map<String, Double>> peerRatios = new java.util.HashMap<>();
        for (Comparison.Goal goal : Comparison.peerGoals(results)) {
            String call = goal.description().substring(0, goal.description().indexOf(' '));
            String peer = goal.description().substring(goal.description().lastIndexOf(' ') + 1);
            peerRatios.computeIfAbsent(call, c -> new java.util.LinkedHashMap<>())
                    .put("p50_over_" + peer.replace('-', '_'), goal.ratio());
        }
        for (ScenarioResult r : results) {
            objects.add(object(r, comparisons.get(r.scenario()), peerRatios.getOrDefault(r.scenario(), Map.of())));
        }
        return "[\n" + String.join(",\n", objects) + "\n]\n";
    }

    /** @param peerRatios for {@code zmq-call} and {@code zmq-call-park}: its p50 over each reference peer's ({@code p50_over_grpc_call}) */
    private static String object(ScenarioResult r, Comparison c, Map<String, Double> peerRatios) {
        LatencySummary l = r.latency();
        StringBuilder json = new StringBuilder("  {");
        field(json, "scenario", string(r.scenario()));
        field(json, "msgs_per_s", number(r.msgsPerS()));
        field(json, "p50_us", number(l.p50Us()));
        field(json, "p99_us", number(l.p99Us()));
        field(json, "p999_us", number(l.p999Us()));
        field(json, "mean_us", number(l.meanUs()));
        field(json, "max_us", number(l.maxUs()));
        field(json, "cpu_us_per_msg", number(r.cpuUsPerMsg()));
        field(json, "count", Long.toString(l.count()));
        field(json, "errors", Long.toString(r.errors()));
        field(json, "seconds", number(r.seconds()));
        field(json, "failed", Boolean.toString(r.failed()));
        if (c != null) {
            field(json, "baseline", string(c.baseline()));
            field(json, "throughput_ratio", number(c.throughputRatio()));
            field(json, "p50_ratio", number(c.p50Ratio()));
            field(json, "p99_ratio", number(c.p99Ratio()));
        }
        peerRatios.forEach((name, ratio) -> field(json, name, number(ratio)));
        LatencyTarget target = LatencyTarget.of(r.scenario()).orElse(null);
        if (target != null) {
            Boolean met = target.met(r);
            field(json, "target_p99_us", number(target.p99LimitUs()));
            field(json, "target_met", met == null ? "null" : met.toString());
        }
        r.fields().forEach((name, value) -> field(json, name, figure(value)));
        if (!r.roundsMsgsPerS().isEmpty()) {
            field(json, "rounds_msgs_per_s", "[" + String.join(", ",
                    r.roundsMsgsPerS().stream().map(JsonWriter::number).toList()) + "]");
        }
        field(json, "notes", "[" + String.join(", ", r.notes().stream().map(JsonWriter::string).toList()) + "]");
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        if (json.length() > 3) {
            json.append(", ");
        }
        json.append('"').append(name).append("\": ").append(value);
    }

    /** Whole numbers as such, others as {@link #number}. */
    private static String figure(Number value) {
        return value instanceof Integer || value instanceof Long ? value.toString() : number(value.doubleValue());
    }

    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String string(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format("\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
