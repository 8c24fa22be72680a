package io.meshrpc.matchmaker.service.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

/** The registry's revision moves on membership and policy changes, and on nothing else. */
class RevisionApiTest extends ApiTestBase {

    @Autowired
    NodeRegistry registry;

    private long revisionOf(EntityExchangeResult<?> result) {
        return Long.parseLong(result.getResponseHeaders().getFirst(MatchmakerProtocol.REVISION_HEADER));
    }

    private long readRevision() {
        return revisionOf(get("/api/v1/topics").expectStatus().isOk().expectBody().returnResult());
    }

    @Test
    void heartbeatsRenewalsAndStatsLeaveTheRevisionAlone() {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        long before = readRevision();

        put("/api/v1/nodes/c1/heartbeat", "").expectStatus().isNoContent();
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isOk();
        put("/api/v1/nodes/c1/stats", "{\"sent\":{\"zmq\":99}}").expectStatus().isNoContent();
        put("/api/v1/policies/topics/other", "{\"policy\":\"amqp\"}").expectStatus().isOk();
        long afterPolicy = readRevision();
        put("/api/v1/policies/topics/other", "{\"policy\":\"amqp\"}").expectStatus().isOk(); // the same again

        assertThat(afterPolicy).isEqualTo(before + 1);
        assertThat(readRevision()).isEqualTo(afterPolicy);
        get("/api/v1/nodes/c1").expectStatus().isOk().expectBody().jsonPath("$.stats.sent.zmq").isEqualTo(99);
    }

    @Test
    void joinLeaveExpiryTopicChangeAndPoliciesEachMoveTheRevision() {
        long r0 = readRevision();
        long join = revisionOf(put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30))
                .expectStatus().isCreated().expectBody().returnResult());
        assertThat(join).isEqualTo(r0 + 1).isEqualTo(readRevision());

        long moved = revisionOf(put("/api/v1/nodes/c1", registration(List.of("compute", "cells"), "tcp://c1:9501", 30))
                .expectStatus().isOk().expectBody().returnResult());
        long newEndpoint = revisionOf(put("/api/v1/nodes/c1", registration(List.of("compute", "cells"),
                "tcp://c1:9502", 30)).expectStatus().isOk().expectBody().returnResult());
        long topicPolicy = revisionOf(put("/api/v1/policies/topics/compute", "{\"policy\":\"zmq-first\"}")
                .expectStatus().isOk().expectBody().returnResult());
        long nodePolicy = revisionOf(put("/api/v1/policies/nodes/c1", "{\"policy\":\"amqp\"}")
                .expectStatus().isOk().expectBody().returnResult());
        long cleared = revisionOf(delete("/api/v1/policies/nodes/c1").expectStatus().isNoContent()
                .expectBody().returnResult());
        long leave = revisionOf(delete("/api/v1/nodes/c1").expectStatus().isNoContent().expectBody().returnResult());
        assertThat(List.of(moved, newEndpoint, topicPolicy, nodePolicy, cleared, leave))
                .containsExactly(join + 1, join + 2, join + 3, join + 4, join + 5, join + 6);

        put("/api/v1/nodes/c2", registration(List.of("compute"), "tcp://c2:9501", 2)).expectStatus().isCreated();
        long beforeExpiry = readRevision();
        clock.advance(Duration.ofSeconds(3));
        assertThat(registry.sweep()).isEqualTo(1);
        assertThat(readRevision()).isEqualTo(beforeExpiry + 1);
    }

    @Test
    void heartbeatOfAnUnknownOrExpiredNodeIs404SoThatItRegistersAgain() {
        put("/api/v1/nodes/ghost/heartbeat", "").expectStatus().isNotFound()
                .expectHeader().contentType("application/problem+json");
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 2)).expectStatus().isCreated();
        clock.advance(Duration.ofSeconds(3));
        put("/api/v1/nodes/c1/heartbeat", "").expectStatus().isNotFound();
        put("/api/v1/nodes/c1/stats", "{\"sent\":{}}").expectStatus().isNotFound();
    }

    @Test
    void heartbeatRenewsTheTtlTheNodeRegisteredWith() {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 3)).expectStatus().isCreated();
        clock.advance(Duration.ofSeconds(2));
        put("/api/v1/nodes/c1/heartbeat", "").expectStatus().isNoContent();
        clock.advance(Duration.ofSeconds(2));
        get("/api/v1/nodes/c1").expectStatus().isOk().expectBody()
                .jsonPath("$.expiresAt").isEqualTo(clock.instant().plusSeconds(1).toString());
    }

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void heartbeatsAndWatchesAreNotObservedPerRequestButRegistrationsAre() {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        put("/api/v1/nodes/c1/heartbeat", "").expectStatus().isNoContent();
        get("/api/v1/watch?topics=compute").expectStatus().isOk();

        assertThat(meters.find("http.server.requests").tag("uri", "/api/v1/nodes/{nodeId}").timers()).isNotEmpty();
        assertThat(meters.find("http.server.requests").tag("uri", "/api/v1/nodes/{nodeId}/heartbeat").timers())
                .isEmpty();
        assertThat(meters.find("http.server.requests").timers())
                .noneMatch(t -> String.valueOf(t.getId().getTag("uri")).contains("watch"));
    }

    @Test
    void statsThatAreNotAnObjectOrTooLargeAre400Problems() {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        put("/api/v1/nodes/c1/stats", "[1,2]").expectStatus().isBadRequest()
                .expectHeader().contentType("application/problem+json");
        put("/api/v1/nodes/c1/stats", "{\"x\":\"" + "a".repeat(17_000) + "\"}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("stats");
    }
}
