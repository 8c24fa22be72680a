package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReportTest {

    private static ScenarioResult result(String name, double msgsPerS, double p50, double p99) {
        return new ScenarioResult(name, msgsPerS, 5, 0, new LatencySummary(100, p50, p99, p99 * 2, p50, p99 * 3),
                10.0, List.of(), false);
    }

    private final List<ScenarioResult> results = List.of(
            result("raw-zmq-cast", 200_000, 500, 900),
            result("raw-zmq-echo", 10_000, 80, 200),
            result("zmq-cast", 120_000, 700, 1_500),
            result("zmq-call", 5_000, 160, 300),
            ScenarioResult.failed("zmq-other", "failed: boom \"quoted\""));

    @Test
    void ratiosCompareMeshrpcWithItsBaseline() {
        var comparisons = Comparison.of(results);
        assertThat(comparisons.get("zmq-cast").throughputRatio()).isEqualTo(0.6);
        assertThat(comparisons.get("zmq-call").p50Ratio()).isEqualTo(2.0);
        assertThat(comparisons.get("zmq-call").p99Ratio()).isEqualTo(1.5);
        assertThat(comparisons.get("zmq-cast").goals()).allMatch(Comparison.Goal::met);
        assertThat(comparisons.get("zmq-call").goals()).extracting(Comparison.Goal::met).containsExactly(false, true);
    }

    @Test
    void theTableShowsEveryScenarioAndTheVerdicts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultTable.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("raw-zmq-cast", "200,000", "0.60x msgs/s", "p50 2.00x, p99 1.50x")
                .contains("MISSED  zmq-call p50 <= 1.3x raw-zmq-echo").contains("zmq-other: failed: boom");
    }

    @Test
    void theBrokerPathIsJudgedAgainstPlainAmqpClientAndTheCallAgainstThePeers() {
        List<ScenarioResult> withPeers = List.of(result("zmq-call", 5_000, 160, 300),
                result("grpc-call", 2_000, 400, 900), result("nats-call", 4_000, 200, 500),
                result("raw-rabbitmq-cast", 16_000, 1_000, 2_000), result("rabbitmq-cast", 8_000, 2_000, 4_000));

        assertThat(Comparison.peerGoals(withPeers)).extracting(Comparison.Goal::description, Comparison.Goal::met)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("zmq-call p50 <= 0.5x grpc-call", true),
                        org.assertj.core.groups.Tuple.tuple("zmq-call p50 <= 0.5x nats-call", false));
        assertThat(Comparison.of(withPeers).get("rabbitmq-cast").goals()).singleElement()
                .satisfies(goal -> {
                    assertThat(goal.description()).isEqualTo("rabbitmq-cast msgs/s >= 0.8x raw-rabbitmq-cast");
                    assertThat(goal.met()).isFalse();
                });
        assertThat(JsonWriter.toJson(withPeers)).contains("\"p50_over_grpc_call\": 0.400", "\"p50_over_nats_call\": 0.800");
    }

    @Test
    void theParkingCallIsJudgedAgainstTheEchoAndThePeersBesideTheDefaultOne() {
        List<ScenarioResult> results = List.of(result("raw-zmq-echo", 10_000, 80, 150),
                result("zmq-call", 11_000, 88, 240), result("zmq-call-park", 8_000, 120, 210),
                result("grpc-call", 8_000, 176, 300));

        Comparison park = Comparison.of(results).get("zmq-call-park");
        assertThat(park.baseline()).isEqualTo("raw-zmq-echo");
        assertThat(park.goals()).extracting(Comparison.Goal::description, Comparison.Goal::met)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("zmq-call-park p50 <= 1.3x raw-zmq-echo", false),
                        org.assertj.core.groups.Tuple.tuple("zmq-call-park p99 <= 2.0x raw-zmq-echo", true));
        assertThat(Comparison.peerGoals(results)).extracting(Comparison.Goal::description, Comparison.Goal::met)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("zmq-call p50 <= 0.5x grpc-call", true),
                        org.assertj.core.groups.Tuple.tuple("zmq-call-park p50 <= 0.5x grpc-call", false));
        String json = JsonWriter.toJson(results);
        assertThat(json.substring(json.indexOf("\"zmq-call\""), json.indexOf("\"zmq-call-park\"")))
                .contains("\"p50_over_grpc_call\": 0.500");
        assertThat(json.substring(json.indexOf("\"zmq-call-park\""))).contains("\"p50_over_grpc_call\": 0.682");
    }

    @Test
    void jsonHasTheAgreedFieldsAndEscapesText() {
        String json = JsonWriter.toJson(results);
        assertThat(json).startsWith("[\n  {\"scenario\": \"raw-zmq-cast\", \"msgs_per_s\": 200000.000, "
                + "\"p50_us\": 500.000, \"p99_us\": 900.000, \"p999_us\": 1800.000");
        assertThat(json).contains("\"baseline\": \"raw-zmq-cast\", \"throughput_ratio\": 0.600")
                .contains("\"msgs_per_s\": null").contains("boom \\\"quoted\\\"").endsWith("}\n]\n");
    }
}
