package io.meshrpc.matchmaker.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.ApiTestBase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The fleet views for dashboards: nodes page by page, searched and filtered, and the summary in numbers. */
class FleetApiTest extends ApiTestBase {

    @BeforeEach
    void aSummaryOfAnEarlierTestIsNoLongerFresh() {
        clock.advance(FleetSummaryCache.MAX_AGE);
    }

    private void register(String nodeId, List<String> topics) {
        put("/api/v1/nodes/" + nodeId, registration(topics, "tcp://" + nodeId + ":9501", 600))
                .expectStatus().isCreated();
    }

    private void register(String nodeId, String topic, String transports, String stats) {
        put("/api/v1/nodes/" + nodeId, """
                {"topics":["%s"],"endpoint":"tcp://%s:9501","transports":%s,"ttlSeconds":600,"stats":%s}
                """.formatted(topic, nodeId, transports, stats)).expectStatus().isCreated();
    }

    @Test
    void nodesComePageByPageSortedByIdWithTheTotalOfAllPages() {
        for (String id : List.of("n05", "n02", "n07", "n01", "n04", "n06", "n03")) {
            register(id, List.of("compute"));
        }

        get("/api/v1/fleet/nodes?offset=0&limit=3").expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(7)
                .jsonPath("$.offset").isEqualTo(0)
                .jsonPath("$.limit").isEqualTo(3)
                .jsonPath("$.time").isEqualTo(clock.instant().toString())
                .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("n01", "n02", "n03"))
                .jsonPath("$.nodes[0].state").isEqualTo("LIVE")
                .jsonPath("$.nodes[0].topics[0]").isEqualTo("compute")
                .jsonPath("$.nodes[0].stats.sent.zmq").isEqualTo(10)
                .jsonPath("$.nodes[0].policy.node").isEmpty();
        get("/api/v1/fleet/nodes?offset=3&limit=3").expectBody()
                .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("n04", "n05", "n06"));
        get("/api/v1/fleet/nodes?offset=6&limit=3").expectBody()
                .jsonPath("$.total").isEqualTo(7)
                .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("n07"));
        get("/api/v1/fleet/nodes?offset=50").expectBody()
                .jsonPath("$.total").isEqualTo(7)
                .jsonPath("$.nodes.length()").isEqualTo(0);
    }

    @Test
    void withoutParametersThePageIsTheFirstFiftyNodes() {
        for (int i = 1; i <= 60; i++) {
            register("node-%03d".formatted(i), List.of("compute"));
        }
        get("/api/v1/fleet/nodes").expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(60)
                .jsonPath("$.offset").isEqualTo(0)
                .jsonPath("$.limit").isEqualTo(50)
                .jsonPath("$.nodes.length()").isEqualTo(50)
                .jsonPath("$.nodes[49].nodeId").isEqualTo("node-050");
        get("/api/v1/fleet/nodes?limit=500").expectBody().jsonPath("$.nodes.length()").isEqualTo(60);
    }

    @Test
    void searchMatchesAnyPartOfTheIdIgnoringCaseAndTopicKeepsTheNodesServingIt() {
        register("Compute-17", List.of("compute"));
        register("compute-170", List.of("compute", "metrics"));
        register("sched-17", List.of("scheduler"));
        register("compute-2", List.of("compute"));

        get("/api/v1/fleet/nodes?q=PUTE-17").expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("Compute-17", "compute-170"));
        get("/api/v1/fleet/nodes?q=17&topic=scheduler").expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.nodes[0].nodeId").isEqualTo("sched-17");
        get("/api/v1/fleet/nodes?topic=metrics").expectBody()
                .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("compute-170"));
        get("/api/v1/fleet/nodes?q=nobody").expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(0)
                .jsonPath("$.nodes.length()").isEqualTo(0);
        get("/api/v1/fleet/nodes?q=&topic=").expectBody().jsonPath("$.total").isEqualTo(4);
    }

    @Test
    void badPagingOrFilterInputIsA400ProblemNamingEveryBadField() {
        get("/api/v1/fleet/nodes?offset=-1&limit=0&topic=Compute!&q=" + "x".repeat(129))
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Invalid input")
                .jsonPath("$.field").isEqualTo("offset")
                .jsonPath("$.errors[*].field").isEqualTo(List.of("offset", "limit", "q", "topic"));
        get("/api/v1/fleet/nodes?limit=501").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.field").isEqualTo("limit")
                .jsonPath("$.detail").isEqualTo("limit must be a whole number in 1..500, was '501'");
        get("/api/v1/fleet/nodes?offset=ten").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.field").isEqualTo("offset");
        get("/api/v1/fleet/nodes?limit=1.5").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.field").isEqualTo("limit");
    }

    @Test
    void theSummaryCountsNodesPerTopicAndPerPolicyInForceAndSumsTrafficPerTransport() {
        String both = "[\"zmq\",\"amqp\"]";
        register("sched1", "scheduler", both, """
                {"sent":{"zmq":300,"amqp":100},"received":{"zmq":100,"amqp":0}}""");
        register("sched2", "scheduler", both, """
                {"sent":{"zmq":"lots","amqp":50.4,"pigeon":7},"received":{"zmq":null,"amqp":-3},"other":{"zmq":9}}""");
        put("/api/v1/nodes/cauth1", """
                {"topics":["consoleauth","scheduler"],"transports":["amqp"],"ttlSeconds":600,
                 "stats":{"sent":[1,2],"received":{"amqp":20}}}""").expectStatus().isCreated();
        put("/api/v1/policies/topics/scheduler", "{\"policy\":\"zmq-first\"}").expectStatus().isOk();
        put("/api/v1/policies/nodes/sched2", "{\"policy\":\"zmq\"}").expectStatus().isOk();
        put("/api/v1/policies/topics/compute", "{\"policy\":\"amqp\"}").expectStatus().isOk();

        get("/api/v1/fleet/summary").expectStatus().isOk().expectBody()
                .jsonPath("$.time").isEqualTo(clock.instant().toString())
                .jsonPath("$.nodes").isEqualTo(3)
                .jsonPath("$.zmqLive").isEqualTo(2)
                // cauth1 runs consoleauth without an override and scheduler under zmq-first: it counts under both
                .json("""
                        {"policies":{"zmq":1,"amqp":0,"zmq-first":2,"none":1},
                         "topics":[
                           {"topic":"compute","liveNodes":0,"policy":"amqp",
                            "policies":{"zmq":0,"amqp":0,"zmq-first":0,"none":0}},
                           {"topic":"consoleauth","liveNodes":1,"policy":null,
                            "policies":{"zmq":0,"amqp":0,"zmq-first":0,"none":1}},
                           {"topic":"scheduler","liveNodes":3,"policy":"zmq-first",
                            "policies":{"zmq":1,"amqp":0,"zmq-first":2,"none":0}}],
                         "traffic":{"sent":{"amqp":150,"zmq":300},"received":{"amqp":20,"zmq":100}}}""")
                .jsonPath("$.topics[*].topic").isEqualTo(List.of("compute", "consoleauth", "scheduler"));
    }

    @Test
    void theSummaryIsComputedAtMostOnceASecondAndSharedMeanwhile() {
        register("n1", List.of("compute"));
        String first = clock.instant().toString();
        get("/api/v1/fleet/summary").expectBody().jsonPath("$.nodes").isEqualTo(1);

        register("n2", List.of("compute"));
        clock.advance(FleetSummaryCache.MAX_AGE.minusMillis(1));
        get("/api/v1/fleet/summary").expectBody()
                .jsonPath("$.nodes").isEqualTo(1)
                .jsonPath("$.time").isEqualTo(first);

        clock.advance(Duration.ofMillis(1));
        get("/api/v1/fleet/summary").expectBody()
                .jsonPath("$.nodes").isEqualTo(2)
                .jsonPath("$.time").isEqualTo(clock.instant().toString())
                .jsonPath("$.traffic.sent.zmq").isEqualTo(20);
    }

    @Test
    void bothViewsAnswerTheRevisionTheyReflectInTheHeaderAndTheBody() {
        register("n1", List.of("compute"));
        long before = revision(get("/api/v1/fleet/nodes"));
        register("n2", List.of("compute"));

        long after = revision(get("/api/v1/fleet/nodes?topic=compute"));
        assertThat(after).as("a node joined").isGreaterThan(before);
        assertThat(revision(get("/api/v1/fleet/summary"))).isGreaterThanOrEqualTo(after);
    }

    /** The revision in the header, checked against the body's. */
    private static long revision(RestTestClient.ResponseSpec response) {
        EntityExchangeResult<String> result = response.expectStatus().isOk().expectBody(String.class).returnResult();
        String header = result.getResponseHeaders().getFirst(MatchmakerProtocol.REVISION_HEADER);
        assertThat(header).as(MatchmakerProtocol.REVISION_HEADER).matches("[1-9][0-9]*");
        assertThat(result.getResponseBody()).contains("\"revision\":" + header + ",");
        return Long.parseLong(header);
    }

    @Test
    void anEmptyFleetHasAnEmptySummaryWithEveryPolicyKey() {
        get("/api/v1/fleet/summary").expectStatus().isOk().expectBody()
                .json("""
                        {"nodes":0,"zmqLive":0,"policies":{"zmq":0,"amqp":0,"zmq-first":0,"none":0},"topics":[],
                         "traffic":{"sent":{},"received":{}}}""")
                .jsonPath("$.traffic.sent").isEmpty();
    }
}
