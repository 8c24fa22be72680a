package io.meshrpc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Drives one scenario through set-up, warm-up and measurement, and turns the outcome into a
 * {@link ScenarioResult}.
 *
 * <p>A scenario that fails becomes a failed row instead of ending the run: the other scenarios
 * still say something, and the table shows why one is missing.
 */
public final class ScenarioRunner {

    private static final int INITIAL_SAMPLES = 1 << 20;

    private final Duration warmup;
    private final Duration measure;

    public ScenarioRunner(Duration warmup, Duration measure) {
        this.warmup = warmup;
        this.measure = measure;
    }

    public ScenarioResult run(Scenario scenario) {
        String name = scenario.name();
        try (scenario) {
            Progress.say("%s: setting up", name);
            scenario.open();
            Progress.say("%s: warm-up %d s", name, warmup.toSeconds());
            scenario.run(warmup, new LatencyRecorder(INITIAL_SAMPLES));
            System.gc();
            ScenarioResult result = measure(scenario);
            report(result);
            return result;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return failure(name, ex);
        } catch (Exception ex) {
            return failure(name, ex);
        }
    }

    private ScenarioResult measure(Scenario scenario) throws Exception {
        Progress.say("%s: measuring %d s", scenario.name(), measure.toSeconds());
        LatencyRecorder latencies = new LatencyRecorder(INITIAL_SAMPLES);
        OptionalLong broker = scenario.brokerProcess();
        long brokerBefore = broker.isPresent() ? ProcStat.cpuNanos(broker.getAsLong()) : -1;
        long cpuBefore = ProcessCpu.nanos();
        long start = System.nanoTime();
        RunStats stats = scenario.run(measure, latencies);
        long wall = System.nanoTime() - start;
        long cpu = cpuBefore < 0 ? -1 : ProcessCpu.nanos() - cpuBefore;
        long brokerAfter = brokerBefore < 0 ? -1 : ProcStat.cpuNanos(broker.getAsLong());
        Map<String, Number> fields = scenario.fields();
        Optional<BrokerCpu> brokerCpu = BrokerCpu.of(brokerAfter < 0 ? -1 : brokerAfter - brokerBefore,
                stats.completed(), wall);
        return ScenarioResult.measured(scenario.name(), stats, latencies.summarize(), cpu,
                notes(stats, scenario.verify())).withFields(brokerCpu.map(b -> b.addedTo(fields)).orElse(fields));
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
        String reason = "failed: " + ex;
        Progress.say("%s: %s", name, reason);
        return ScenarioResult.failed(name, reason);
    }
}
