package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class MatchmakerBenchTest {

    private static ScenarioResult result(String name, double p99) {
        return new ScenarioResult(name, 1_000, 5, 0, new LatencySummary(100, p99 / 2, p99, p99 * 2, p99 / 2, p99 * 3),
                1.0, List.of(), false);
    }

    @Test
    void lookupTargetsAreAbsoluteAndStrict() {
        LatencyTarget cached = LatencyTarget.of("matchmaker-lookup-cached").orElseThrow();
        LatencyTarget rest = LatencyTarget.of("matchmaker-lookup-rest").orElseThrow();
        assertThat(cached.describe()).isEqualTo("p99 < 5 µs");
        assertThat(rest.describe()).isEqualTo("p99 < 5 ms");
        assertThat(cached.met(result("matchmaker-lookup-cached", 0.7))).isTrue();
        assertThat(cached.met(result("matchmaker-lookup-cached", 5.0))).isFalse();
        assertThat(rest.verdict(result("matchmaker-lookup-rest", 7_382))).isEqualTo("MISSED");
        assertThat(rest.verdict(ScenarioResult.failed("matchmaker-lookup-rest", "boom"))).isEqualTo("n/a");
        assertThat(LatencyTarget.of("zmq-call")).isEmpty();
    }

    @Test
    void theTableAndTheJsonShowTheTargets() {
        List<ScenarioResult> results = List.of(result("matchmaker-lookup-cached", 0.731),
                result("matchmaker-lookup-rest", 7_382));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultTable.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("0.731", "target p99 < 5 µs", "target p99 < 5 ms")
                .contains("met     matchmaker-lookup-cached p99 < 5 µs (measured 0.731 µs)")
                .contains("MISSED  matchmaker-lookup-rest p99 < 5 ms (measured 7,382 µs)");
        assertThat(JsonWriter.toJson(results))
                .contains("\"target_p99_us\": 5.000, \"target_met\": true")
                .contains("\"target_p99_us\": 5000.000, \"target_met\": false");
    }

    @Test
    void theFleetDealsTenThousandNodesOverFiveHundredTopics() {
        Map<Integer, Long> perTopic = IntStream.range(0, MatchmakerFleet.NODES).boxed()
                .collect(Collectors.groupingBy(MatchmakerFleet::topicOf, Collectors.counting()));
        assertThat(perTopic).hasSize(MatchmakerFleet.TOPICS).allSatisfy((t, n) -> assertThat(n).isEqualTo(20L));
        Set<String> endpoints = new HashSet<>();
        IntStream.range(0, MatchmakerFleet.NODES).forEach(i -> endpoints.add(MatchmakerFleet.endpoint(i)));
        assertThat(endpoints).hasSize(MatchmakerFleet.NODES)
                .allMatch(e -> e.matches("tcp://10\\.1\\.\\d{1,3}\\.\\d{1,3}:9501"));
        assertThat(MatchmakerFleet.registration(501)).isEqualTo("{\"topics\":[\"topic-001\"],"
                + "\"endpoint\":\"tcp://10.1.1.245:9501\",\"transports\":[\"zmq\",\"amqp\"],\"ttlSeconds\":21600}");
        assertThat(MatchmakerFleet.nodeId(7)).isEqualTo("node-00007");
    }

    @Test
    void aRunDuringWhichTheCompilerWasBusyIsFlagged() {
        assertThat(new JitActivity(1_000, 20_000_000_000L).note()).isNull();
        assertThat(new JitActivity(9_400, 20_000_000_000L).note())
                .isEqualTo("the JIT compiler was still busy: 9.4 s of compiling during 20 s measured (47%); "
                        + "a longer --warmup measures the compiled code");
        assertThat(new JitActivity(-1, 20_000_000_000L).note()).isNull();
    }

    @Test
    void lookupOrdersArePermutationsAndRepeatable() {
        int[] order = LookupOrder.shuffled(500, 1);
        assertThat(Arrays.stream(order).sorted().toArray()).isEqualTo(IntStream.range(0, 500).toArray());
        assertThat(order).isEqualTo(LookupOrder.shuffled(500, 1)).isNotEqualTo(IntStream.range(0, 500).toArray());
        assertThat(LookupOrder.count("{\"nodeId\":1},{\"nodeId\":2}", "\"nodeId\"")).isEqualTo(2);
        assertThat(LookupOrder.count("[]", "\"nodeId\"")).isZero();
    }
}
