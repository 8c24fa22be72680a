package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class BrokerCpuTest {

    @Test
    void theListeningSocketsOfAPortAreReadFromTheKernelsTable() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1628 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 6923 1 0",
                "   1: 0100007F:1628 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000   107        0 8811 1 0",
                "   2: 0100007F:16280 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 9001 1 0",
                "   3: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 10816 1 0");

        assertThat(ProcStat.listeningInodes(table, 5672)).containsExactly("6923");
    }

    @Test
    void theProcessListeningOnAPortIsFound() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "skipped: no /proc/net/tcp on this machine");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ProcStat.listeningProcess(socket.getLocalPort()))
                    .isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
        }
    }

    @Test
    void theRunnerSetsTheBrokerProcesssCpuBesideTheRowAndTheTableShowsIt() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "skipped: no /proc on this machine");
        // this JVM stands in for the broker's process: the scenario's own busy loop is its CPU
        ScenarioResult result = new ScenarioRunner(Duration.ZERO, Duration.ofMillis(300)).run(new BusyScenario());

        BrokerCpu broker = BrokerCpu.in(result.fields()).orElseThrow();
        assertThat(broker.usPerMsg()).isPositive();
        assertThat(broker.cores()).isPositive();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultTable.print(List.of(result), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("broker process CPU").contains("  busy ");
        assertThat(JsonWriter.toJson(List.of(result))).contains("\"broker_cpu_us_per_msg\": ", "\"broker_cores\": ");
    }

    @Test
    void aRowWithoutABrokerProcessHasNoBrokerFigures() {
        ScenarioResult result = new ScenarioRunner(Duration.ZERO, Duration.ofMillis(50)).run(new BusyScenario() {
            @Override
            public OptionalLong brokerProcess() {
                return OptionalLong.empty();
            }
        });

        assertThat(BrokerCpu.in(result.fields())).isEmpty();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultTable.print(List.of(result), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("broker process CPU");
    }

    /** Counts a "message" per loop until its time is up, and names this JVM as its broker. */
    private static class BusyScenario implements Scenario {

        @Override
        public String name() {
            return "busy";
        }

        @Override
        public void open() {
        }

        @Override
        public RunStats run(Duration duration, LatencyRecorder latencies) {
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            long count = 0;
            long now = start;
            while (now < deadline) {
                now = System.nanoTime();
                count++;
            }
            latencies.record(now - start);
            return RunStats.of(count, now - start);
        }

        @Override
        public OptionalLong brokerProcess() {
            return OptionalLong.of(ProcessHandle.current().pid());
        }

        @Override
        public void close() {
        }
    }
}
