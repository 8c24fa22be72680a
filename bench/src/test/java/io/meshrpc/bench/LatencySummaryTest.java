package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void percentilesUseTheNearestRank() {
        LatencyRecorder recorder = new LatencyRecorder(4);
        for (long us = 1_000; us >= 1; us--) {
            recorder.record(us * 1_000);
        }
        LatencySummary summary = recorder.summarize();
        assertThat(summary.count()).isEqualTo(1_000);
        assertThat(summary.p50Us()).isEqualTo(500.0);
        assertThat(summary.p99Us()).isEqualTo(990.0);
        assertThat(summary.p999Us()).isEqualTo(999.0);
        assertThat(summary.maxUs()).isEqualTo(1_000.0);
        assertThat(summary.meanUs()).isEqualTo(500.5);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        assertThat(LatencySummary.percentile(new long[] {42, 0}, 1, 0.999)).isEqualTo(42);
        assertThat(LatencySummary.percentile(new long[] {42, 0}, 1, 0.5)).isEqualTo(42);
    }

    @Test
    void pastItsLimitTheRecorderKeepsAUniformSample() {
        LatencyRecorder recorder = new LatencyRecorder(16, 64);
        for (long us = 1; us <= 10_000; us++) {
            recorder.record(us * 1_000);
        }
        LatencySummary summary = recorder.summarize();
        assertThat(summary.count()).isEqualTo(10_000);
        assertThat(summary.p50Us()).isCloseTo(5_000.0, org.assertj.core.data.Offset.offset(300.0));
        assertThat(summary.p99Us()).isCloseTo(9_900.0, org.assertj.core.data.Offset.offset(300.0));
        assertThat(summary.maxUs()).isEqualTo(10_000.0);
    }

    @Test
    void nothingRecordedIsNotANumber() {
        assertThat(new LatencyRecorder(0).summarize().p99Us()).isNaN();
    }
}
