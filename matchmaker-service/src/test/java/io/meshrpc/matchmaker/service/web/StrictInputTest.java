package io.meshrpc.matchmaker.service.web;

import static io.meshrpc.matchmaker.service.web.BoundedInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.web.testing.RawHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;

/**
 * The matchmaker takes exactly what its documentation says: every field of every write body has one JSON type (no
 * coercion), and a node id has one spelling in a path (no path parameters, encoded separators, NUL or dot
 * segments). Each refusal is a 400 problem, and nothing is written. Requests go out over a plain socket, so that
 * the path reaches the server exactly as written here.
 */
class StrictInputTest extends ApiTestBase {

    private static final String GOOD = "\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\"";
    private static final String REGISTRATION = "{" + GOOD + "}";

    private RawHttp http;

    @BeforeEach
    void keeperAndClient() {
        http = new RawHttp(port);
        put("/api/v1/nodes/keeper", registration(List.of("compute"), "tcp://keeper:9501", 5)).expectStatus().isCreated();
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                row("a number in topics", "/api/v1/nodes/n1", "{\"topics\":[1],\"endpoint\":\"tcp://h:1\"}",
                        "topics[0]", "expected a string"),
                row("a string for ttlSeconds", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":\"30\"}",
                        "ttlSeconds", "expected an integer"),
                row("a fraction for ttlSeconds", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":1.5}",
                        "ttlSeconds", "expected an integer"),
                row("a whole float for ttlSeconds", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":30.0}",
                        "ttlSeconds", "expected an integer"),
                row("a boolean for ttlSeconds", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":true}",
                        "ttlSeconds", "expected an integer"),
                row("ttlSeconds beyond an int", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":4294967296}",
                        "ttlSeconds", "expected an integer in the range"),
                row("a string for transports", "/api/v1/nodes/n1", "{" + GOOD + ",\"transports\":\"zmq\"}",
                        "transports", "expected an array"),
                row("a number in transports", "/api/v1/nodes/n1", "{" + GOOD + ",\"transports\":[1]}",
                        "transports[0]", "expected a string"),
                row("a number for endpoint", "/api/v1/nodes/n1", "{\"topics\":[\"scheduler\"],\"endpoint\":5}",
                        "endpoint", "expected a string"),
                row("a boolean for endpoint", "/api/v1/nodes/n1", "{\"topics\":[\"scheduler\"],\"endpoint\":true}",
                        "endpoint", "expected a string"),
                row("a number for publicKey", "/api/v1/nodes/n1", "{" + GOOD + ",\"publicKey\":7}",
                        "publicKey", "expected a string"),
                row("an array for stats", "/api/v1/nodes/n1", "{" + GOOD + ",\"stats\":[]}",
                        "stats", "expected an object"),
                row("an empty string for stats", "/api/v1/nodes/n1", "{" + GOOD + ",\"stats\":\"\"}",
                        "stats", "expected an object"),
                row("a string for topics", "/api/v1/nodes/n1", "{\"topics\":\"scheduler\",\"endpoint\":\"tcp://h:1\"}",
                        "topics", "expected an array"),
                row("an array for a stats report", "/api/v1/nodes/keeper/stats", "[1,2]",
                        "body", "wrong shape"),
                row("a number for a topic's policy", "/api/v1/policies/topics/scheduler", "{\"policy\":1}",
                        "policy", "expected a string"),
                row("a boolean for a node's policy", "/api/v1/policies/nodes/n1", "{\"policy\":false}",
                        "policy", "expected a string"),
                row("a number as a ring host", "/api/v1/ring", "{\"scheduler\":[1]}",
                        "scheduler[0]", "a host is a string"),
                row("a number as a ring endpoint", "/api/v1/ring",
                        "{\"topics\":{\"scheduler\":[\"s1\"]},\"endpoints\":{\"s1\":5}}", "endpoints.s1",
                        "an endpoint is a string"),
                row("a dot segment as a ring host", "/api/v1/ring", "{\"scheduler\":[\"..\"]}",
                        "scheduler[0]", "dot segment"),
                row("JSON after the JSON", "/api/v1/nodes/n1", REGISTRATION + "{}", "body", "Trailing token"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void aValueOfTheWrongTypeIsRefusedNamingTheField(String path, String body, String field, String detail)
            throws Exception {
        Written before = written();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer = http.exchange("PUT", path, Map.of("Content-Type", "application/json",
                "Content-Length", Integer.toString(bytes.length)), bytes);

        assertProblem(answer, 400);
        assertThat(answer.body()).contains("\"field\":\"" + field + "\"").contains(detail);
        assertThat(written()).as("nothing written").isEqualTo(before);
    }

    static Stream<Arguments> nonCanonicalIds() {
        return Stream.of(
                id("a path parameter", "/api/v1/nodes/compute-1;x"),
                id("an empty path parameter", "/api/v1/nodes/compute-1;"),
                id("a path parameter before the id", "/api/v1/nodes;x/compute-1"),
                id("an encoded ;", "/api/v1/nodes/compute-1%3Bx"),
                id("an encoded /", "/api/v1/nodes/compute%2F1"),
                id("an encoded / in lower case", "/api/v1/nodes/compute%2f1"),
                id("an encoded \\", "/api/v1/nodes/compute%5C1"),
                id("an encoded NUL", "/api/v1/nodes/compute%001"),
                id("the id ..", "/api/v1/nodes/.."),
                id("the id .", "/api/v1/nodes/."),
                id("the id .. encoded", "/api/v1/nodes/%2e%2e"),
                id("the id . encoded", "/api/v1/nodes/%2E"),
                id("a dot segment inside", "/api/v1/nodes/x/../compute-1"),
                id("a node policy for ..", "/api/v1/policies/nodes/.."),
                id("a node policy with a parameter", "/api/v1/policies/nodes/compute-1;x"));
    }

    @ParameterizedTest
    @MethodSource("nonCanonicalIds")
    void aNodeIdThatIsNotCanonicalIsRefusedAndNothingIsWritten(String path) throws Exception {
        Written before = written();
        byte[] body = (path.contains("policies") ? "{\"policy\":\"zmq\"}" : REGISTRATION)
                .getBytes(StandardCharsets.UTF_8);

        RawHttp.Answer answer = http.exchange("PUT", path, Map.of("Content-Type", "application/json",
                "Content-Length", Integer.toString(body.length)), body);

        assertProblem(answer, 400);
        assertThat(written()).as("nothing written").isEqualTo(before);
        get("/api/v1/nodes/compute-1").expectStatus().isNotFound();
    }

    @Test
    void theIdsDotAndDotDotAreRefusedWhereverTheyAreNamed() {
        for (String id : List.of(".", "..")) {
            // as a path variable no URL can carry them; Checks refuses them for the ring and any future field
            client.put().uri("/api/v1/ring").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"topics\":{\"scheduler\":[\"s1\"]},\"endpoints\":{\"" + id + "\":\"tcp://s1:1\"}}")
                    .exchange().expectStatus().isBadRequest().expectBody()
                    .jsonPath("$.field").isEqualTo("endpoints." + id);
        }
    }

    @Test
    void aCanonicalIdWithDotsInsideIsTaken() {
        put("/api/v1/nodes/compute-1.rack-2", REGISTRATION).expectStatus().isCreated();
        put("/api/v1/nodes/...", REGISTRATION).expectStatus().isCreated();
    }

    static Stream<Arguments> clientFaults() {
        return Stream.of(
                Arguments.argumentSet("no content type", "PUT", "/api/v1/nodes/n1", null, REGISTRATION, 415),
                Arguments.argumentSet("text, not JSON", "PUT", "/api/v1/nodes/n1", "text/plain", REGISTRATION, 415),
                Arguments.argumentSet("a ring as text", "PUT", "/api/v1/ring", "text/plain", "{}", 415),
                Arguments.argumentSet("malformed JSON", "PUT", "/api/v1/nodes/n1", "application/json", "{\"topics\":",
                        400),
                Arguments.argumentSet("no body", "PUT", "/api/v1/nodes/n1", "application/json", "", 400),
                Arguments.argumentSet("no ring", "PUT", "/api/v1/ring", "application/json", "", 400),
                Arguments.argumentSet("a method not allowed", "PATCH", "/api/v1/nodes/n1", "application/json",
                        REGISTRATION, 405),
                Arguments.argumentSet("POST to a lookup", "POST", "/api/v1/topics", "application/json", "{}", 405),
                Arguments.argumentSet("an unknown path", "PUT", "/api/v2/nodes/n1", "application/json", REGISTRATION,
                        404));
    }

    @ParameterizedTest
    @MethodSource("clientFaults")
    void aClientsFaultIsAProblemNeverA500(String method, String path, String contentType, String body, int status)
            throws Exception {
        Written before = written();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = contentType == null
                ? Map.of("Content-Length", Integer.toString(bytes.length))
                : Map.of("Content-Type", contentType, "Content-Length", Integer.toString(bytes.length));

        assertProblem(http.exchange(method, path, headers, bytes), status);
        assertThat(written()).isEqualTo(before);
    }

    /** What the registry holds: nodes, their stats, policies. */
    private record Written(List<NodeRecord> nodes, Map<String, Object> keeperStats, Map<String, ?> topicPolicies,
                           Map<String, ?> nodePolicies) {
    }

    private Written written() {
        return new Written(nodeStore.all().stream().sorted(java.util.Comparator.comparing(NodeRecord::nodeId)).toList(),
                statsStore.get("keeper").orElse(Map.of()), Map.copyOf(policyStore.all(PolicyScope.TOPIC)),
                Map.copyOf(policyStore.all(PolicyScope.NODE)));
    }

    private static Arguments row(String name, String path, String body, String field, String detail) {
        return Arguments.argumentSet(name, path, body, field, detail);
    }

    private static Arguments id(String name, String path) {
        return Arguments.argumentSet(name, path);
    }
}
