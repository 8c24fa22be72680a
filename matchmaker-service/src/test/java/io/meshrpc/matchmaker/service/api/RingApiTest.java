package io.meshrpc.matchmaker.service.api;

import java.time.Duration;
import java.util.List;

import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.json.JsonCompareMode;

/** Import and export of the talk's ring file. */
class RingApiTest extends ApiTestBase {

    /** The matchmaker file of the talk, verbatim. */
    private static final String TALK_RING = """
            { "scheduler": [ "sched1", "sched2" ], "consoleauth": [ "cauth1", "cauth2" ] }""";

    @Autowired
    NodeRegistry registry;

    @Test
    void theTalksRingRoundTrips() {
        put("/api/v1/ring", TALK_RING).expectStatus().isOk().expectBody()
                .json("{\"topics\":2,\"nodes\":4,\"removed\":0,\"keptRegistered\":[]}", JsonCompareMode.STRICT);
        get("/api/v1/ring").expectStatus().isOk().expectBody().json(TALK_RING, JsonCompareMode.STRICT);

        get("/api/v1/nodes/sched1").expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("STATIC")
                .jsonPath("$.endpoint").isEqualTo("tcp://sched1:9501")
                .jsonPath("$.ttlSeconds").isEmpty()
                .jsonPath("$.expiresAt").isEmpty()
                .jsonPath("$.lastHeartbeat").isEmpty();
        get("/api/v1/topics/consoleauth").expectBody()
                .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("cauth1", "cauth2"));

        // ring nodes have no TTL: time passes, the sweep runs, they stay
        clock.advance(Duration.ofDays(2));
        registry.sweep();
        get("/api/v1/ring").expectBody().json(TALK_RING, JsonCompareMode.STRICT);

        // exporting and importing the export changes nothing
        String exported = new String(get("/api/v1/ring").expectBody().returnResult().getResponseBodyContent());
        put("/api/v1/ring", exported).expectStatus().isOk().expectBody().jsonPath("$.nodes").isEqualTo(4);
        get("/api/v1/ring").expectBody().json(TALK_RING, JsonCompareMode.STRICT);
    }

    @Test
    void aNewRingReplacesTheOldRingButNotRegisteredNodes() {
        put("/api/v1/nodes/sched2", registration(List.of("scheduler"), "tcp://10.0.0.6:9600", 30))
                .expectStatus().isCreated();
        put("/api/v1/nodes/compute-1", registration(List.of("compute"), "tcp://10.0.0.9:9501", 30))
                .expectStatus().isCreated();
        put("/api/v1/ring", TALK_RING).expectStatus().isOk().expectBody()
                .json("{\"topics\":2,\"nodes\":3,\"removed\":0,\"keptRegistered\":[\"sched2\"]}");
        get("/api/v1/nodes/sched2").expectBody()
                .jsonPath("$.state").isEqualTo("LIVE")
                .jsonPath("$.endpoint").isEqualTo("tcp://10.0.0.6:9600");
        get("/api/v1/ring").expectBody().json("""
                {"compute":["compute-1"],"consoleauth":["cauth1","cauth2"],"scheduler":["sched1","sched2"]}""",
                JsonCompareMode.STRICT);

        put("/api/v1/ring", "{\"scheduler\":[\"sched1\"]}").expectStatus().isOk().expectBody()
                .json("{\"topics\":1,\"nodes\":1,\"removed\":2,\"keptRegistered\":[]}");
        get("/api/v1/ring").expectBody().json("""
                {"compute":["compute-1"],"scheduler":["sched1","sched2"]}""", JsonCompareMode.STRICT);

        // a registered node that stops heartbeating leaves the export
        clock.advance(Duration.ofSeconds(31));
        get("/api/v1/ring").expectBody().json("{\"scheduler\":[\"sched1\"]}", JsonCompareMode.STRICT);
    }

    @Test
    void theExtendedShapeCarriesEndpoints() {
        put("/api/v1/ring", """
                {"topics": {"scheduler": ["sched1", "sched_2"]},
                 "endpoints": {"sched_2": "tcp://10.0.0.6:9502"}}""").expectStatus().isOk();
        get("/api/v1/ring?endpoints=true").expectStatus().isOk().expectBody().json("""
                {"topics": {"scheduler": ["sched1", "sched_2"]},
                 "endpoints": {"sched1": "tcp://sched1:9501", "sched_2": "tcp://10.0.0.6:9502"}}""",
                JsonCompareMode.STRICT);
    }

    @Test
    void aHostThatIsNoHostNameNeedsAnEndpoint() {
        put("/api/v1/ring", "{\"scheduler\":[\"sched_2\"]}").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.field").isEqualTo("scheduler[0]");
        get("/api/v1/ring").expectBody().json("{}", JsonCompareMode.STRICT);
    }
}
