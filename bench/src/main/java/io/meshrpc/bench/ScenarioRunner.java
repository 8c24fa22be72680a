package io.meshrpc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Drives scenarios through set-up, warm-up and measurement, and turns the outcome into
 * {@link ScenarioResult}s.
 *
 * <p>A group of scenarios compared with each other (a meshrpc scenario and its baseline) is measured
 * in interleaved rounds: all are set up and warmed up, then each runs for its share of the
 * measurement in turn, round after round. A machine whose speed drifts over minutes (a shared VM,
 * another tenant, the broker's own pace) then slows every scenario of the group alike, and their
 * ratio compares code rather than moments. A scenario's figures are over all its rounds together;
 * the msgs/s of each round are kept to show the spread.
 *
 * <p>A scenario that fails becomes a failed row instead of ending the run: the other scenarios
 * still say something, and the table shows why one is missing.
 */
public final class ScenarioRunner {

    private static final int INITIAL_SAMPLES = 1 << 20;
    private static final long SETTLE_WORTH_SAYING_MS = 50;

    private final Duration warmup;
    private final Duration measure;
    private final int rounds;

    /** Measures each scenario in one piece. */
    public ScenarioRunner(Duration warmup, Duration measure) {
        this(warmup, measure, 1);
    }

    /** Splits each group's measurement into {@code rounds} interleaved rounds. */
    public ScenarioRunner(Duration warmup, Duration measure, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        this.warmup = warmup;
        this.measure = measure;
        this.rounds = rounds;
    }

    public ScenarioResult run(Scenario scenario) {
        return runGroup(List.of(scenario)).get(0);
    }

    /**
     * Sets up and warms up every scenario of {@code group}, then measures them in interleaved rounds
     * (one piece each for a group of one). Results in the group's order.
     */
    public List<ScenarioResult> runGroup(List<Scenario> group) {
        Map<Scenario, ScenarioResult> failed = new LinkedHashMap<>();
        try {
            Map<Scenario, Measurement> measuring = prepareAll(group, failed);
            System.gc();
            measureInRounds(measuring.values(), failed);
            List<ScenarioResult> results = new ArrayList<>();
            for (Scenario scenario : group) {
                ScenarioResult result = failed.get(scenario);
                if (result == null) {
                    result = resultOf(measuring.get(scenario));
                    report(result);
                }
                results.add(result);
            }
            return results;
        } finally {
            group.forEach(Scenario::close);
        }
    }

    /** Sets up and warms up each scenario; one that fails is put in {@code failed}, the rest returned. */
    private Map<Scenario, Measurement> prepareAll(List<Scenario> group, Map<Scenario, ScenarioResult> failed) {
        Map<Scenario, Measurement> measuring = new LinkedHashMap<>();
        for (Scenario scenario : group) {
            try {
                prepare(scenario);
                measuring.put(scenario, new Measurement(scenario));
            } catch (Exception ex) {
                failed.put(scenario, failure(scenario.name(), ex));
            }
        }
        return measuring;
    }

    /** Each scenario in turn for its share of the measurement, round after round; one alone in one piece. */
    private void measureInRounds(Collection<Measurement> measuring, Map<Scenario, ScenarioResult> failed) {
        int pieces = measuring.size() > 1 ? rounds : 1;
        Duration slice = measure.dividedBy(pieces);
        for (int round = 1; round <= pieces; round++) {
            for (Measurement m : measuring) {
                if (failed.containsKey(m.scenario)) {
                    continue;
                }
                try {
                    m.measureRound(slice, round, pieces);
                } catch (Exception ex) {
                    failed.put(m.scenario, failure(m.scenario.name(), ex));
                }
            }
        }
    }

    private void prepare(Scenario scenario) throws Exception {
        String name = scenario.name();
        Progress.say("%s: setting up", name);
        scenario.open();
        Progress.say("%s: warm-up %d s", name, warmup.toSeconds());
        scenario.run(warmup, new LatencyRecorder(INITIAL_SAMPLES));
        settle(scenario);
    }

    /** {@link Scenario#settle()}, saying so when it took long enough to matter (a backlog worked off). */
    private static void settle(Scenario scenario) throws InterruptedException {
        long start = System.nanoTime();
        scenario.settle();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (millis >= SETTLE_WORTH_SAYING_MS) {
            Progress.say("%s: settled in %d ms (work the run left behind, not measured)", scenario.name(), millis);
        }
    }

    private static ScenarioResult resultOf(Measurement m) {
        RunStats stats = new RunStats(m.completed, m.errors, m.elapsedNanos, m.firstError);
        Map<String, Number> fields = m.scenario.fields();
        Optional<BrokerCpu> brokerCpu = BrokerCpu.of(m.brokerCpuNanos, m.completed, m.wallNanos);
        List<String> warnings;
        try {
            warnings = m.scenario.verify();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            warnings = List.of("interrupted while checking the run");
        }
        return ScenarioResult.measured(m.scenario.name(), stats, m.latencies.summarize(), m.cpuNanos,
                        notes(stats, warnings))
                .withFields(brokerCpu.map(b -> b.addedTo(fields)).orElse(fields))
                .withRounds(m.roundsMsgsPerS);
    }

    /** One scenario's figures, added up over its rounds. */
    private static final class Measurement {
        final Scenario scenario;
        /** Looked up once: finding a process by its socket reads every process's descriptors. */
        final OptionalLong broker;
        final LatencyRecorder latencies = new LatencyRecorder(INITIAL_SAMPLES);
        final List<Double> roundsMsgsPerS = new ArrayList<>();
        long completed;
        long errors;
        long elapsedNanos;
        String firstError;
        /** -1 once any round could not read it. */
        long cpuNanos;
        long brokerCpuNanos;
        long wallNanos;

        Measurement(Scenario scenario) {
            this.scenario = scenario;
            this.broker = scenario.brokerProcess();
            this.brokerCpuNanos = broker.isPresent() ? 0 : -1;
        }

        void measureRound(Duration slice, int round, int rounds) throws Exception {
            if (rounds == 1) {
                Progress.say("%s: measuring %d s", scenario.name(), slice.toSeconds());
            } else {
                Progress.say("%s: measuring round %d of %d, %.1f s", scenario.name(), round, rounds,
                        slice.toMillis() / 1000.0);
            }
            long brokerBefore = broker.isPresent() ? ProcStat.cpuNanos(broker.getAsLong()) : -1;
            long cpuBefore = ProcessCpu.nanos();
            long start = System.nanoTime();
            RunStats stats = scenario.run(slice, latencies);
            wallNanos += System.nanoTime() - start;
            long cpuAfter = ProcessCpu.nanos();
            long brokerAfter = brokerBefore < 0 ? -1 : ProcStat.cpuNanos(broker.getAsLong());
            settle(scenario); // not measured: the next round, of this scenario or another, starts clean
            cpuNanos = cpuBefore < 0 || cpuAfter < 0 || cpuNanos < 0 ? -1 : cpuNanos + cpuAfter - cpuBefore;
            brokerCpuNanos = brokerAfter < 0 || brokerCpuNanos < 0 ? -1 : brokerCpuNanos + brokerAfter - brokerBefore;
            completed += stats.completed();
            errors += stats.errors();
            elapsedNanos += stats.elapsedNanos();
            if (firstError == null) {
                firstError = stats.firstError();
            }
            roundsMsgsPerS.add(stats.perSecond());
        }
    }

    private static List<String> notes(RunStats stats, List<String> warnings) {
        List<String> notes = new ArrayList<>(warnings);
        if (stats.errors() > 0) {
            notes.add(stats.errors() + " message(s) failed during the measurement; first: " + stats.firstError());
        }
        return notes;
    }

    private static void report(ScenarioResult result) {
        String target = LatencyTarget.of(result.scenario())
                .map(t -> " (target " + t.describe() + ": " + t.verdict(result) + ")").orElse("");
        Progress.say("%s: %s msgs/s, p50 %s us, p99 %s us, p99.9 %s us, %s us CPU/msg%s", result.scenario(),
                String.format(Locale.ROOT, "%,.0f", result.msgsPerS()), ResultTable.micros(result.latency().p50Us()),
                ResultTable.micros(result.latency().p99Us()), ResultTable.micros(result.latency().p999Us()),
                ResultTable.micros(result.cpuUsPerMsg()), target);
        result.notes().forEach(note -> Progress.say("%s: WARNING %s", result.scenario(), note));
    }

    private static ScenarioResult failure(String name, Throwable ex) {
        if (ex instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String reason = "failed: " + ex;
        Progress.say("%s: %s", name, reason);
        return ScenarioResult.failed(name, reason);
    }
}
