package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The fleet scenarios' bookkeeping: change timing, options, names, the table and the JSON. */
class FleetBenchTest {

    private static final long MS = 1_000_000;

    private static ChangeTracker.Watcher watcher(ChangeTracker tracker, long revision, int... topics) {
        ChangeTracker.Watcher w = new ChangeTracker.Watcher(topics);
        tracker.activate(w, revision);
        return w;
    }

    @Test
    void aChangeIsDoneWhenTheLastWatcherOfItsTopicHasItsRevision() {
        ChangeTracker tracker = new ChangeTracker(3);
        ChangeTracker.Watcher a = watcher(tracker, 100, 0, 1);
        ChangeTracker.Watcher b = watcher(tracker, 100, 0);
        ChangeTracker.Watcher other = watcher(tracker, 100, 2);
        tracker.change(0, 101, 1_000 * MS, true);
        tracker.answered(a, 101, 1_010 * MS);
        tracker.answered(other, 105, 1_500 * MS);   // watches another topic: does not count
        assertThat(tracker.measuredPending()).isEqualTo(1);
        tracker.answered(b, 103, 1_040 * MS);        // a newer revision covers it too
        assertThat(tracker.measuredPending()).isZero();
        ChangeTracker.Summary s = tracker.summary(2_000 * MS);
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.incomplete()).isZero();
        assertThat(s.p50Ms()).isEqualTo(40.0);
    }

    @Test
    void watchersThatSawItFirstCountZeroAndLateComersOrLeaversDoNotWait() {
        ChangeTracker tracker = new ChangeTracker(1);
        ChangeTracker.Watcher early = watcher(tracker, 100, 0);
        ChangeTracker.Watcher leaver = watcher(tracker, 100, 0);
        tracker.answered(early, 101, 999 * MS);      // the watcher's answer beat the writer's 2xx
        tracker.change(0, 101, 1_000 * MS, true);
        ChangeTracker.Watcher late = watcher(tracker, 90, 0);   // joined after the change: a snapshot has it
        tracker.answered(late, 95, 1_100 * MS);
        assertThat(tracker.measuredPending()).isEqualTo(1);
        tracker.deactivate(leaver);
        assertThat(tracker.measuredPending()).isZero();
        assertThat(tracker.summary(5_000 * MS).p99Ms()).isEqualTo(0.0);

        tracker.change(0, 102, 2_000 * MS, false);   // outside the window: waited for, never reported
        tracker.answered(early, 102, 2_500 * MS);
        tracker.answered(late, 102, 2_600 * MS);
        assertThat(tracker.summary(5_000 * MS).count()).isEqualTo(1);
    }

    @Test
    void aChangeNobodyReceivedCountsAtItsAgeAndIsReportedIncomplete() {
        ChangeTracker tracker = new ChangeTracker(1);
        watcher(tracker, 100, 0);
        tracker.change(0, 101, 1_000 * MS, true);
        ChangeTracker.Summary s = tracker.summary(4_000 * MS);
        assertThat(s.incomplete()).isEqualTo(1);
        assertThat(s.p99Ms()).isEqualTo(3_000.0);
    }

    @Test
    void withoutRevisionsAViewRequestedAfterTheChangeSeesIt() {
        ChangeTracker tracker = new ChangeTracker(2);
        ChangeTracker.Watcher w = watcher(tracker, tracker.seq(), 0, 1);
        long requestedBefore = tracker.seq();
        tracker.changeLocally(1, 1_000 * MS, true);
        long requestedAfter = tracker.seq();
        tracker.answered(w, requestedBefore, 1_200 * MS);
        assertThat(tracker.measuredPending()).isEqualTo(1);
        tracker.answered(w, requestedAfter, 6_000 * MS);
        assertThat(tracker.summary(7_000 * MS).p50Ms()).isEqualTo(5_000.0);
    }

    @Test
    void fleetOptionsAndNames() {
        BenchOptions defaults = BenchOptions.parse();
        assertThat(defaults.fleetSizes()).containsExactly(1_000, 5_000, 10_000, 20_000);
        assertThat(defaults.fleetMeasure()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.fleetWarmup()).isEqualTo(Duration.ofSeconds(60));
        assertThat(BenchOptions.parse("--quick").fleetWarmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(BenchOptions.parse("--warmup", "5").fleetWarmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(BenchOptions.parse("--quick").fleetMeasure()).isEqualTo(Duration.ofSeconds(20));
        assertThat(BenchOptions.parse("--quick", "--measure", "45").fleetMeasure()).isEqualTo(Duration.ofSeconds(45));
        assertThat(BenchOptions.parse("--fleet-sizes", "1000, 5_000").fleetSizes()).containsExactly(1_000, 5_000);
        assertThatThrownBy(() -> BenchOptions.parse("--fleet-sizes", "lots")).hasMessageContaining("node counts");
        assertThatThrownBy(() -> BenchOptions.parse("--fleet-sizes", "10")).hasMessageContaining("between 50");

        assertThat(FleetBench.rows(BenchOptions.parse("--scenarios", "matchmaker-fleet", "--fleet-sizes", "1000,5000")))
                .containsExactly(java.util.Map.entry("matchmaker-fleet-1000", 1_000),
                        java.util.Map.entry("matchmaker-fleet-5000", 5_000));
        assertThat(FleetBench.rows(BenchOptions.parse("--scenarios", "matchmaker-fleet-1000-full-refresh,matchmaker-fleet-19500")))
                .containsExactly(java.util.Map.entry("matchmaker-fleet-1000-full-refresh", 1_000),
                        java.util.Map.entry("matchmaker-fleet-19500", 19_500));
        assertThat(FleetBench.rows(BenchOptions.parse("--scenarios", "zmq-call"))).isEmpty();
        assertThat(FleetBench.rows(BenchOptions.parse("--quick"))).as("not part of the default run").isEmpty();
        assertThat(FleetBench.known("matchmaker-fleet-20000")).isTrue();
        assertThat(FleetBench.known("matchmaker-fleet-lots")).isFalse();
    }

    @Test
    void rowsThatCannotHaveTheirDescriptorsAreRefusedWithTheLargestThatFits() {
        assertThat(FleetScenario.descriptorProblem(FleetSimulator.Mode.WATCH, 10_000, 20_000, 250)).isNull();
        assertThat(FleetScenario.descriptorProblem(FleetSimulator.Mode.WATCH, 20_000, 20_000, 250))
                .contains("limit is 20,000").contains("at most 19,254 nodes");
        assertThat(FleetScenario.descriptorProblem(FleetSimulator.Mode.WATCH, 20_000, 1_048_576, 250)).isNull();
    }

    @Test
    void cpuTimeIsReadFromProcStatEvenWithParenthesesInTheName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 80000 0 12 0 1500 250 0 0 20 0 40 0 9999 "
                + "8000000000 60000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcStat.cpuTicks(stat)).isEqualTo(1_750);
    }

    @Test
    void everyNodeWatchesThreeDistinctTopicsTheSameInEveryRun() {
        IntStream.range(0, 2_000).forEach(slot -> {
            int[] topics = FleetSimulator.watchedTopics(slot, 13);
            assertThat(Arrays.stream(topics).distinct().count()).isEqualTo(3);
            assertThat(Arrays.stream(topics).allMatch(t -> t >= 0 && t < FleetSimulator.TOPICS)).isTrue();
            assertThat(topics).isEqualTo(FleetSimulator.watchedTopics(slot, 13));
        });
        assertThat(FleetSimulator.topic(7)).isEqualTo("topic-07");
    }

    @Test
    void theTableAndTheJsonCarryTheFiguresAndTheTargets() {
        FleetResult row = new FleetResult("matchmaker-fleet-20000", 20_000, 0.82, 310.5, 512.0, 9_876.5, 7_900.2,
                12_000, 3.1, 45.6, 120, 1_450, 70, 0, 60.0, 0.5, 0, List.of("warm-up: ramp"), false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FleetBench.print(List.of(row, FleetResult.failed("matchmaker-fleet-30000", 30_000, List.of("not run: fds"))),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("matchmaker-fleet-20000", "20,000", "0.82", "9,877", "7,900", "1,450")
                .contains("cores 0.82 <= 1: met; heartbeat p99 45.6 ms <= 100 ms: met; change p99 1,450 ms <= 1,000 ms: "
                        + "MISSED; bytes/node/min 7,900 <= 8,192: met")
                .contains("matchmaker-fleet-30000", "failed", "not run: fds");
        String json = FleetBench.json("[\n  {\"scenario\": \"zmq-call\"}\n]\n", List.of(row));
        assertThat(json).startsWith("[\n  {\"scenario\": \"zmq-call\"},\n  {\"scenario\": \"matchmaker-fleet-20000\"")
                .contains("\"nodes\": 20000", "\"matchmaker_cpu_cores\": 0.820", "\"matchmaker_heap_mb\": 310.500",
                        "\"requests_per_s\": 9876.500", "\"bytes_per_node_per_min\": 7900.200",
                        "\"heartbeat_p99_ms\": 45.600", "\"change_p50_ms\": 120.000", "\"change_p99_ms\": 1450.000",
                        "\"target_change_p99_ms\": 1000.000");
        assertThat(FleetBench.json("[\n\n]\n", List.of(row))).startsWith("[\n  {\"scenario\": \"matchmaker-fleet-20000\"");
    }
}
