package io.meshrpc.matchmaker.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.registry.NodeRecord;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** Each bad input gets its status and an RFC 9457 problem naming the field; nothing is written. */
class BadInputTest extends ApiTestBase {

    private static final String GOOD = "\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\"";

    static Stream<Arguments> badInputs() {
        return Stream.of(
                row("malformed JSON", "PUT", "/api/v1/nodes/n1", "{\"topics\":[\"scheduler\"", 400, "body"),
                row("not a JSON object", "PUT", "/api/v1/nodes/n1", "[1,2]", 400, "body"),
                row("empty body", "PUT", "/api/v1/nodes/n1", "", 400, "body"),
                row("ttl of the wrong type", "PUT", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":\"soon\"}", 400,
                        "ttlSeconds"),
                row("topics not an array", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":{\"a\":1},\"endpoint\":\"tcp://h:1\"}", 400, "topics"),
                row("bad node id", "PUT", "/api/v1/nodes/bad!node", "{" + GOOD + "}", 400, "nodeId"),
                row("node id too long", "PUT", "/api/v1/nodes/" + "n".repeat(129), "{" + GOOD + "}", 400, "nodeId"),
                row("bad topic", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":[\"scheduler\",\"Sched uler\"],\"endpoint\":\"tcp://h:1\"}", 400, "topics[1]"),
                row("topic too long", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":[\"" + "t".repeat(65) + "\"],\"endpoint\":\"tcp://h:1\"}", 400, "topics[0]"),
                row("no topics", "PUT", "/api/v1/nodes/n1", "{\"endpoint\":\"tcp://h:1\"}", 400, "topics"),
                row("negative TTL", "PUT", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":-5}", 400, "ttlSeconds"),
                row("zero TTL", "PUT", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":0}", 400, "ttlSeconds"),
                row("TTL over the maximum", "PUT", "/api/v1/nodes/n1", "{" + GOOD + ",\"ttlSeconds\":86401}", 400,
                        "ttlSeconds"),
                row("endpoint not tcp", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":[\"scheduler\"],\"endpoint\":\"http://10.0.0.5:9501\"}", 400, "endpoint"),
                row("endpoint without port", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5\"}", 400, "endpoint"),
                row("endpoint port out of range", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:70000\"}", 400, "endpoint"),
                row("wildcard endpoint", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://*:9501\"}", 400, "endpoint"),
                row("zmq without endpoint", "PUT", "/api/v1/nodes/n1",
                        "{\"topics\":[\"scheduler\"],\"transports\":[\"zmq\"]}", 400, "endpoint"),
                row("unknown transport", "PUT", "/api/v1/nodes/n1", "{" + GOOD + ",\"transports\":[\"zmq\",\"carrier\"]}",
                        400, "transports[1]"),
                row("bad public key", "PUT", "/api/v1/nodes/n1", "{" + GOOD + ",\"publicKey\":\"short\"}", 400,
                        "publicKey"),
                row("stats not an object", "PUT", "/api/v1/nodes/n1", "{" + GOOD + ",\"stats\":[1]}", 400, "stats"),
                row("unknown node on GET", "GET", "/api/v1/nodes/ghost", null, 404, "nodeId"),
                row("unknown node on DELETE", "DELETE", "/api/v1/nodes/ghost", null, 404, "nodeId"),
                row("bad node id on GET", "GET", "/api/v1/nodes/bad!node", null, 400, "nodeId"),
                row("bad topic on lookup", "GET", "/api/v1/topics/Scheduler", null, 400, "topic"),
                row("unknown policy for a topic", "PUT", "/api/v1/policies/topics/scheduler",
                        "{\"policy\":\"carrier-pigeon\"}", 400, "policy"),
                row("missing policy for a node", "PUT", "/api/v1/policies/nodes/n1", "{}", 400, "policy"),
                row("policy for a bad topic", "PUT", "/api/v1/policies/topics/BAD", "{\"policy\":\"zmq\"}", 400,
                        "topic"),
                row("policy for a bad node id", "PUT", "/api/v1/policies/nodes/bad!node", "{\"policy\":\"zmq\"}", 400,
                        "nodeId"),
                row("no policy for the topic", "GET", "/api/v1/policies/topics/scheduler", null, 404, "topic"),
                row("no policy for the node", "DELETE", "/api/v1/policies/nodes/n1", null, 404, "nodeId"),
                row("ring not an object", "PUT", "/api/v1/ring", "[\"sched1\"]", 400, "body"),
                row("ring topic without a host list", "PUT", "/api/v1/ring", "{\"scheduler\":\"sched1\"}", 400,
                        "scheduler"),
                row("ring with a bad topic", "PUT", "/api/v1/ring", "{\"Scheduler\":[\"sched1\"]}", 400, "Scheduler"),
                row("ring with a bad host", "PUT", "/api/v1/ring", "{\"scheduler\":[\"sched1\",\"bad host\"]}", 400,
                        "scheduler[1]"),
                row("ring with a bad endpoint", "PUT", "/api/v1/ring",
                        "{\"topics\":{\"scheduler\":[\"s1\"]},\"endpoints\":{\"s1\":\"udp://s1:1\"}}", 400,
                        "endpoints.s1"));
    }

    private static Arguments row(String name, String method, String uri, String body, int status, String field) {
        return Arguments.argumentSet(name, method, uri, body, status, field);
    }

    @BeforeEach
    void someState() {
        put("/api/v1/nodes/keeper", registration(List.of("compute"), "tcp://keeper:9501", 5)).expectStatus().isCreated();
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void answersAProblemNamingTheField(String method, String uri, String body, int status, String field) {
        List<NodeRecord> nodesBefore = List.copyOf(nodeStore.all());
        var request = client.method(HttpMethod.valueOf(method)).uri(uri);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        request.exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.instance").isEqualTo(uri);

        assertThat(nodeStore.all()).as("nothing written").containsExactlyInAnyOrderElementsOf(nodesBefore);
        for (PolicyScope scope : PolicyScope.values()) {
            assertThat(policyStore.all(scope)).isEmpty();
        }
    }

    @Test
    void everyViolationIsListedAndTheFirstIsNamed() {
        put("/api/v1/nodes/bad!node", "{\"topics\":[\"OK?\"],\"endpoint\":\"tcp://h\",\"ttlSeconds\":0}")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.field").isEqualTo("nodeId")
                .jsonPath("$.errors[*].field").isEqualTo(List.of("nodeId", "topics[0]", "endpoint", "ttlSeconds"));
    }

    @Test
    void malformedJsonIsExplainedWithoutParserInternals() {
        put("/api/v1/nodes/n1", "{\"topics\":[\"scheduler\"").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .startsWith("The request body is not valid JSON (near 'topics[1]'): Unexpected end-of-input")
                        .doesNotContain("Source"));
    }

    @Test
    void anUnknownPathIsAProblemToo() {
        get("/api/v1/nowhere").expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
