package io.meshrpc.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The human-readable result: one row per scenario, the meshrpc/raw ratios (or, for a scenario without
 * a baseline, its absolute {@link LatencyTarget}), then the targets and any warnings. Plain
 * fixed-width text (also valid inside a Markdown code block), on stdout.
 */
public final class ResultTable {

    private static final String ROW = "%-24s %12s %10s %10s %10s %12s  %s%n";

    private ResultTable() {
    }

    public static void print(List<ScenarioResult> results, PrintStream out) {
        Map<String, Comparison> comparisons = Comparison.of(results);
        out.printf(Locale.ROOT, ROW, "scenario", "msgs/s", "p50 µs", "p99 µs", "p99.9 µs", "CPU µs/msg", "meshrpc/raw");
        for (ScenarioResult r : results) {
            String ratio = Comparison.find(comparisons, r.scenario()).map(Comparison::describe)
                    .or(() -> LatencyTarget.of(r.scenario()).map(t -> "target " + t.describe()))
                    .orElse("-");
            if (r.failed()) {
                out.printf(Locale.ROOT, ROW, r.scenario(), "failed", "-", "-", "-", "-", "-");
            } else {
                out.printf(Locale.ROOT, ROW, r.scenario(), String.format(Locale.ROOT, "%,.0f", r.msgsPerS()),
                        micros(r.latency().p50Us()), micros(r.latency().p99Us()), micros(r.latency().p999Us()),
                        micros(r.cpuUsPerMsg()), ratio);
            }
        }
        printGoals(comparisons, results, out);
        printBrokerCpu(results, out);
        printNotes(results, out);
    }

    private static void printGoals(Map<String, Comparison> comparisons, List<ScenarioResult> results,
                                   PrintStream out) {
        List<Comparison.Goal> brokerGoals = new java.util.ArrayList<>(Comparison.brokerGoals(results));
        brokerGoals.addAll(Comparison.peerGoals(results));
        if (comparisons.isEmpty() && brokerGoals.isEmpty()
                && results.stream().noneMatch(r -> LatencyTarget.of(r.scenario()).isPresent())) {
            return;
        }
        out.println();
        out.println("targets:");
        for (ScenarioResult r : results) {
            Comparison c = comparisons.get(r.scenario());
            if (c != null) {
                for (Comparison.Goal goal : c.goals()) {
                    String verdict = Double.isNaN(goal.ratio()) ? "n/a" : goal.met() ? "met" : "MISSED";
                    out.printf(Locale.ROOT, "  %-7s %s (measured %.2fx%s)%n", verdict, goal.description(),
                            goal.ratio(), c.describeRounds());
                }
            }
            LatencyTarget.of(r.scenario()).ifPresent(t -> out.printf(Locale.ROOT, "  %-7s %s %s (measured %s µs)%n",
                    t.verdict(r), r.scenario(), t.describe(), micros(r.latency().p99Us())));
        }
        for (Comparison.Goal goal : brokerGoals) {
            String verdict = Double.isNaN(goal.ratio()) ? "n/a" : goal.met() ? "met" : "MISSED";
            out.printf(Locale.ROOT, "  %-7s %s (measured %.2fx)%n", verdict, goal.description(), goal.ratio());
        }
    }

    /** The CPU of a broker process on this machine, for the rows that went through one. */
    private static void printBrokerCpu(List<ScenarioResult> results, PrintStream out) {
        boolean header = false;
        for (ScenarioResult r : results) {
            Optional<BrokerCpu> broker = BrokerCpu.in(r.fields());
            if (broker.isEmpty()) {
                continue;
            }
            if (!header) {
                out.println();
                out.println("broker process CPU (the broker on this machine, beside the row's own CPU µs/msg):");
                header = true;
            }
            out.printf(Locale.ROOT, "  %-22s %10s µs/msg %6.2f cores%n", r.scenario(),
                    micros(broker.get().usPerMsg()), broker.get().cores());
        }
    }

    private static void printNotes(List<ScenarioResult> results, PrintStream out) {
        boolean header = false;
        for (ScenarioResult r : results) {
            for (String note : r.notes()) {
                if (!header) {
                    out.println();
                    out.println("warnings:");
                    header = true;
                }
                out.printf("  %s: %s%n", r.scenario(), note);
            }
        }
    }

    /** Microseconds as the table shows them: three decimals below 1 µs, one below 100, none above. */
    static String micros(double us) {
        if (Double.isNaN(us)) {
            return "-";
        }
        if (us < 1) {
            return String.format(Locale.ROOT, "%.3f", us);
        }
        return us < 100 ? String.format(Locale.ROOT, "%.1f", us) : String.format(Locale.ROOT, "%,.0f", us);
    }
}
