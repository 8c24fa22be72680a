package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class InterleavedRoundsTest {

    @Test
    void eachMeshrpcScenarioIsGroupedWithItsBaselineAndThePeersWithTheCall() {
        List<String> all = List.copyOf(BenchMain.SCENARIOS.keySet());

        List<List<String>> groups = ScenarioGroups.of(all);

        assertThat(groups).contains(List.of("raw-zmq-cast", "zmq-cast", "curve-zmq-cast"),
                List.of("raw-zmq-echo", "zmq-call", "zmq-call-park", "grpc-call", "nats-call", "curve-zmq-call"),
                List.of("raw-rabbitmq-cast", "rabbitmq-cast"), List.of("raw-rabbitmq-call", "rabbitmq-call"),
                List.of("raw-qpid-cast", "qpid-cast"), List.of("raw-qpid-call", "qpid-call"),
                List.of("zmq-first-outage"), List.of("fanout-wide"));
        assertThat(groups.get(0)).containsExactly("raw-zmq-cast", "zmq-cast", "curve-zmq-cast");
        assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(all.size());
        assertThat(ScenarioGroups.of(List.of("zmq-cast", "zmq-call"))).containsExactly(List.of("zmq-cast"),
                List.of("zmq-call"));
    }

    @Test
    void aGroupIsWarmedUpThenMeasuredInTurnsRoundAfterRoundEachSettlingBeforeTheNext() {
        List<String> log = new ArrayList<>();
        Counting raw = new Counting("raw-zmq-cast", 1_000, log);
        Counting mesh = new Counting("zmq-cast", 500, log);

        List<ScenarioResult> results = new ScenarioRunner(Duration.ofMillis(10), Duration.ofMillis(300), 3)
                .runGroup(List.of(raw, mesh));

        assertThat(log).containsExactly("open raw-zmq-cast", "raw-zmq-cast 10", "settle raw-zmq-cast",
                "open zmq-cast", "zmq-cast 10", "settle zmq-cast",
                "raw-zmq-cast 100", "settle raw-zmq-cast", "zmq-cast 100", "settle zmq-cast",
                "raw-zmq-cast 100", "settle raw-zmq-cast", "zmq-cast 100", "settle zmq-cast",
                "raw-zmq-cast 100", "settle raw-zmq-cast", "zmq-cast 100", "settle zmq-cast",
                "close raw-zmq-cast", "close zmq-cast");
        // figures over all rounds together: 3 x 100 messages in 3 x 100 ms
        assertThat(results.get(0).msgsPerS()).isEqualTo(1_000.0);
        assertThat(results.get(0).latency().count()).isEqualTo(300);
        assertThat(results.get(1).roundsMsgsPerS()).containsExactly(500.0, 500.0, 500.0);
        assertThat(Comparison.of(results).get("zmq-cast").roundThroughputRatios()).containsExactly(0.5, 0.5, 0.5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultTable.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("zmq-cast msgs/s >= 0.5x raw-zmq-cast (measured 0.50x; by round 0.50x, 0.50x, 0.50x)");
        assertThat(JsonWriter.toJson(results)).contains("\"rounds_msgs_per_s\": [500.000, 500.000, 500.000]");
    }

    @Test
    void aScenarioAloneIsMeasuredInOnePiece() {
        List<String> log = new ArrayList<>();

        ScenarioResult result = new ScenarioRunner(Duration.ofMillis(10), Duration.ofMillis(300), 3)
                .run(new Counting("fanout-wide", 1_000, log));

        assertThat(log).containsExactly("open fanout-wide", "fanout-wide 10", "settle fanout-wide", "fanout-wide 300",
                "settle fanout-wide", "close fanout-wide");
        assertThat(result.roundsMsgsPerS()).isEmpty();
    }

    @Test
    void aScenarioThatFailsInARoundIsAFailedRowAndTheOthersFinish() {
        List<String> log = new ArrayList<>();
        Counting raw = new Counting("raw-zmq-cast", 1_000, log);
        Counting broken = new Counting("zmq-cast", 500, log) {
            @Override
            public RunStats run(Duration duration, LatencyRecorder latencies) {
                if (duration.toMillis() == 100) {
                    throw new IllegalStateException("lost its peer");
                }
                return super.run(duration, latencies);
            }
        };

        List<ScenarioResult> results = new ScenarioRunner(Duration.ofMillis(10), Duration.ofMillis(300), 3)
                .runGroup(List.of(raw, broken));

        assertThat(results.get(0).failed()).isFalse();
        assertThat(results.get(0).roundsMsgsPerS()).hasSize(3);
        assertThat(results.get(1).failed()).isTrue();
        assertThat(results.get(1).notes()).singleElement().asString().contains("lost its peer");
        assertThat(log).endsWith("close raw-zmq-cast", "close zmq-cast");
    }

    /**
     * Reports {@code rate} messages a second over exactly the duration asked for, without waiting,
     * and logs what the runner asks of it.
     */
    private static class Counting implements Scenario {
        private final String name;
        private final int rate;
        private final List<String> log;

        Counting(String name, int rate, List<String> log) {
            this.name = name;
            this.rate = rate;
            this.log = log;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void open() {
            log.add("open " + name);
        }

        @Override
        public RunStats run(Duration duration, LatencyRecorder latencies) {
            log.add(name + " " + duration.toMillis());
            long messages = rate * duration.toMillis() / 1_000;
            for (long i = 0; i < messages; i++) {
                latencies.record(1_000);
            }
            return RunStats.of(messages, duration.toNanos());
        }

        @Override
        public void settle() {
            log.add("settle " + name);
        }

        @Override
        public void close() {
            log.add("close " + name);
        }
    }
}
