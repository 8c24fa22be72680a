package io.meshrpc.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The matchmaker at fleet size: which rows to run, their table and their JSON objects.
 *
 * <p>Scenario names: {@value #FLEET} runs one row {@code matchmaker-fleet-<N>} per size of
 * {@code --fleet-sizes} (default 1,000, 5,000, 10,000 and 20,000 nodes); {@code matchmaker-fleet-<N>}
 * names one size; {@value #FULL_REFRESH} is the "before" row, 1,000 nodes refreshing the whole
 * registry every 5 s. They run only when named in {@code --scenarios} (each row takes minutes and a
 * connection per node), after every other scenario, each against a fresh service process.
 */
final class FleetBench {

    static final String FLEET = "matchmaker-fleet";
    static final String FULL_REFRESH = "matchmaker-fleet-1000-full-refresh";
    static final int FULL_REFRESH_NODES = 1_000;
    static final List<Integer> DEFAULT_SIZES = List.of(1_000, 5_000, 10_000, 20_000);
    private static final Pattern ONE_SIZE = Pattern.compile("matchmaker-fleet-(\\d{1,7})");

    /** The targets of issue 13, stated at 20,000 nodes; printed next to the figures, never asserted. */
    static final int TARGET_NODES = 20_000;
    static final double TARGET_CORES = 1.0;
    static final double TARGET_HEARTBEAT_P99_MS = 100;
    static final double TARGET_CHANGE_P99_MS = 1_000;
    static final double TARGET_BYTES_PER_NODE_PER_MIN = 8_192;

    private static final String ROW = "%-36s %7s %9s %8s %9s %11s %10s %10s %10s%n";

    private FleetBench() {
    }

    /** Whether {@code name} is one of these scenarios. */
    static boolean known(String name) {
        return name.equals(FLEET) || name.equals(FULL_REFRESH) || ONE_SIZE.matcher(name).matches();
    }

    /** The rows {@code options} asks for, in run order: name to node count. */
    static Map<String, Integer> rows(BenchOptions options) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        // only when named: they take minutes each and one connection per node (see docs/benchmarks.md)
        if (options.scenarios().contains(FULL_REFRESH)) {
            rows.put(FULL_REFRESH, FULL_REFRESH_NODES);
        }
        if (options.scenarios().contains(FLEET)) {
            for (int n : options.fleetSizes()) {
                rows.put(FLEET + "-" + n, n);
            }
        }
        for (String name : options.scenarios()) {
            var m = ONE_SIZE.matcher(name);
            if (m.matches() && !name.equals(FULL_REFRESH)) {
                rows.putIfAbsent(name, Integer.parseInt(m.group(1)));
            }
        }
        return rows;
    }

    /** Runs the rows {@code options} asks for, one after the other. */
    static List<FleetResult> runAll(BenchOptions options) {
        List<FleetResult> results = new ArrayList<>();
        Map<String, Integer> rows = rows(options);
        if (rows.isEmpty()) {
            return results;
        }
        Progress.say("matchmaker at fleet size: %s; per row a fresh service JVM, ramp, %d s warm-up, %d s measured",
                String.join(", ", rows.keySet()), options.fleetWarmup().toSeconds(), options.fleetMeasure().toSeconds());
        rows.forEach((name, nodes) -> {
            FleetSimulator.Mode mode = name.equals(FULL_REFRESH) ? FleetSimulator.Mode.FULL_REFRESH
                    : FleetSimulator.Mode.WATCH;
            results.add(new FleetScenario(name, mode, nodes, options.fleetWarmup(), options.fleetMeasure()).run());
        });
        return results;
    }

    static void print(List<FleetResult> results, PrintStream out) {
        out.printf(Locale.ROOT, ROW, "matchmaker at fleet size", "nodes", "mm cores", "heap MB", "req/s",
                "B/node/min", "hb p99 ms", "chg p50 ms", "chg p99 ms");
        for (FleetResult r : results) {
            if (r.failed() && Double.isNaN(r.requestsPerS())) {
                out.printf(Locale.ROOT, ROW, r.scenario(), String.format(Locale.ROOT, "%,d", r.nodes()), "failed",
                        "-", "-", "-", "-", "-", "-");
                continue;
            }
            out.printf(Locale.ROOT, ROW, r.scenario(), String.format(Locale.ROOT, "%,d", r.nodes()),
                    fmt("%.2f", r.matchmakerCpuCores()), fmt("%,.0f", r.matchmakerHeapMb()),
                    fmt("%,.0f", r.requestsPerS()), fmt("%,.0f", r.bytesPerNodePerMin()),
                    fmt(r.heartbeatP99Ms() < 10 ? "%.2f" : "%,.0f", r.heartbeatP99Ms()),
                    fmt("%,.0f", r.changeP50Ms()), fmt("%,.0f", r.changeP99Ms()));
        }
        out.println();
        out.printf(Locale.ROOT, "targets at %,d nodes (issue 13; judged on every row, met only counts at %,d):%n",
                TARGET_NODES, TARGET_NODES);
        for (FleetResult r : results) {
            if (r.failed() && Double.isNaN(r.requestsPerS())) {
                continue;
            }
            out.printf(Locale.ROOT, "  %-36s %s%n", r.scenario(), String.join("; ", verdicts(r)));
        }
        boolean header = false;
        for (FleetResult r : results) {
            for (String note : r.notes()) {
                if (!header) {
                    out.println();
                    out.println("notes:");
                    header = true;
                }
                out.printf("  %s: %s%n", r.scenario(), note);
            }
        }
    }

    /** {@code cores 0.41 <= 1: met}, ... */
    static List<String> verdicts(FleetResult r) {
        return List.of(
                verdict("cores", "%.2f", r.matchmakerCpuCores(), "%.0f", TARGET_CORES),
                verdict("heartbeat p99", "%.1f ms", r.heartbeatP99Ms(), "%.0f ms", TARGET_HEARTBEAT_P99_MS),
                verdict("change p99", "%,.0f ms", r.changeP99Ms(), "%,.0f ms", TARGET_CHANGE_P99_MS),
                verdict("bytes/node/min", "%,.0f", r.bytesPerNodePerMin(), "%,.0f", TARGET_BYTES_PER_NODE_PER_MIN));
    }

    private static String verdict(String what, String format, double value, String limitFormat, double limit) {
        String measured = Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
        String verdict = Double.isNaN(value) ? "n/a" : value <= limit ? "met" : "MISSED";
        return what + " " + measured + " <= " + String.format(Locale.ROOT, limitFormat, limit) + ": " + verdict;
    }

    private static String fmt(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /** The JSON object of one row (in the same list as the other scenarios'). */
    static String json(FleetResult r) {
        StringBuilder json = new StringBuilder("  {");
        field(json, "scenario", JsonWriter.string(r.scenario()));
        field(json, "nodes", Integer.toString(r.nodes()));
        field(json, "matchmaker_cpu_cores", number(r.matchmakerCpuCores()));
        field(json, "matchmaker_heap_mb", number(r.matchmakerHeapMb()));
        field(json, "matchmaker_heap_used_mb", number(r.matchmakerHeapUsedMb()));
        field(json, "requests_per_s", number(r.requestsPerS()));
        field(json, "bytes_per_node_per_min", number(r.bytesPerNodePerMin()));
        field(json, "bytes_per_node_per_min_p99", number(r.bytesPerNodePerMinP99()));
        field(json, "heartbeat_p50_ms", number(r.heartbeatP50Ms()));
        field(json, "heartbeat_p99_ms", number(r.heartbeatP99Ms()));
        field(json, "change_p50_ms", number(r.changeP50Ms()));
        field(json, "change_p99_ms", number(r.changeP99Ms()));
        field(json, "changes", Integer.toString(r.changes()));
        field(json, "changes_incomplete", Integer.toString(r.changesIncomplete()));
        field(json, "seconds", number(r.seconds()));
        field(json, "simulator_cpu_cores", number(r.simulatorCpuCores()));
        field(json, "errors", Long.toString(r.errors()));
        field(json, "failed", Boolean.toString(r.failed()));
        field(json, "target_nodes", Integer.toString(TARGET_NODES));
        field(json, "target_cpu_cores", number(TARGET_CORES));
        field(json, "target_heartbeat_p99_ms", number(TARGET_HEARTBEAT_P99_MS));
        field(json, "target_change_p99_ms", number(TARGET_CHANGE_P99_MS));
        field(json, "target_bytes_per_node_per_min", number(TARGET_BYTES_PER_NODE_PER_MIN));
        field(json, "notes", "[" + String.join(", ", r.notes().stream().map(JsonWriter::string).toList()) + "]");
        return json.append('}').toString();
    }

    /** The JSON list of the other scenarios ({@link JsonWriter#toJson}) with these rows appended. */
    static String json(String scenarios, List<FleetResult> fleet) {
        String inner = scenarios.trim();
        inner = inner.substring(1, inner.length() - 1).trim();
        List<String> objects = new ArrayList<>();
        if (!inner.isEmpty()) {
            objects.add("  " + inner);
        }
        fleet.forEach(r -> objects.add(json(r)));
        return "[\n" + String.join(",\n", objects) + "\n]\n";
    }

    private static void field(StringBuilder json, String name, String value) {
        if (json.length() > 3) {
            json.append(", ");
        }
        json.append('"').append(name).append("\": ").append(value);
    }

    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
    }
}
