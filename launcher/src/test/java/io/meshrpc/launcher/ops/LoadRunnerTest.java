package io.meshrpc.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.meshrpc.launcher.Out;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How a load run's outcome is counted and printed, from servers as the gateway lists them. */
class LoadRunnerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode server(String status, String host, int attempts, String faultCode, String fault) {
        return JSON.readTree("{\"status\":\"" + status + "\",\"host\":\"" + host + "\",\"vcpus\":1,\"ramMb\":512,"
                + "\"attempts\":" + attempts + ",\"faultCode\":" + (faultCode == null ? "null" : "\"" + faultCode + "\"")
                + ",\"fault\":" + (fault == null ? "null" : "\"" + fault + "\"") + "}");
    }

    private static LoadRunner.Result result() {
        Map<String, JsonNode> servers = new TreeMap<>();
        servers.put("a", server("ACTIVE", "compute-1", 1, null, null));
        servers.put("b", server("ACTIVE", "compute-2", 2, null, null));
        servers.put("c", server("ERROR", "compute-5", 3, "BUILD_TIMEOUT", "Host compute-5 took the build but did not"
                + " finish it within 20 s (3 of 3 attempts used)"));
        servers.put("d", server("ERROR", "compute-5", 1, "HOST_REFUSED", "Host compute-5 is full"));
        servers.put("e", server("ERROR", "compute-3", 2, "BUILD_TIMEOUT", "Host compute-3 took the build but did not"
                + " finish it within 20 s (2 of 3 attempts used)"));
        return new LoadRunner.Result(List.of(), List.of("503 No valid host: none"), servers, 1.5);
    }

    @Test
    void retriedBootsAreThoseSentToMoreThanOneHost() {
        assertThat(result().retried()).isEqualTo(3);
    }

    @Test
    void errorsAreCountedByTheGatewaysFaultCodeMostFrequentFirst() {
        assertThat(result().errorsByReason()).containsExactly(Map.entry("BUILD_TIMEOUT", 2L),
                Map.entry("HOST_REFUSED", 1L));
    }

    @Test
    void thePrintedSummaryShowsActiveErrorByReasonAndRetriedBoots() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new LoadRunner().print(result(), new Out(printed, printed));

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("2 ACTIVE, 3 ERROR, 0 still BUILDING, 1 refused; 3 retried on another host")
                .contains("ERROR by reason: BUILD_TIMEOUT 2, HOST_REFUSED 1")
                .contains("error: Host compute-5 is full");
    }
}
