package io.meshrpc.matchmaker.service.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.meshrpc.matchmaker.protocol.Member;
import io.meshrpc.matchmaker.protocol.TopicState;
import io.meshrpc.matchmaker.protocol.WatchAnswer;
import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.matchmaker.service.WatchClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Watches over real HTTP: snapshots, deltas, the topics they wake on, and the ones they sleep through. */
class WatchApiTest extends ApiTestBase {

    /** Far longer than any test waits for an answer: an answer before it came from a change. */
    private static final String LONG_WAIT = "5m";

    @Autowired
    WatchHub hub;

    private WatchClient watches;

    @BeforeEach
    void client() {
        watches = new WatchClient(port);
    }

    @Test
    void watchWithoutRevisionAnswersASnapshotOfEveryTopicAskedFor() {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        put("/api/v1/policies/topics/compute", "{\"policy\":\"zmq-first\"}").expectStatus().isOk();
        put("/api/v1/policies/nodes/c1", "{\"policy\":\"amqp\"}").expectStatus().isOk();

        WatchAnswer answer = watches.snapshot("compute,idle");

        assertThat(answer.fullSnapshot()).isTrue();
        assertThat(answer.topics()).containsOnlyKeys("compute", "idle");
        assertThat(answer.topics().get("idle").set()).isEmpty();
        assertThat(answer.topics().get("compute").policy()).isEqualTo("zmq-first");
        assertThat(answer.topics().get("compute").set()).containsExactly(
                new Member("c1", "tcp://c1:9501", List.of("zmq", "amqp"), null, "amqp"));
    }

    @Test
    void watchOnATopicAnswersWhenANodeJoinsItAndAWatchOnAnotherTopicStaysAsleep() throws Exception {
        long revision = watches.snapshot("compute").revision();
        CompletableFuture<HttpResponse<String>> compute = watches.watch("compute", revision, LONG_WAIT);
        CompletableFuture<HttpResponse<String>> other = watches.watch("scheduler", revision, LONG_WAIT);
        awaitWaiting(2);

        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();

        WatchAnswer answer = watches.answer(compute.get(10, TimeUnit.SECONDS));
        assertThat(answer.fullSnapshot()).isFalse();
        assertThat(answer.revision()).isEqualTo(revision + 1);
        assertThat(answer.topics()).containsOnlyKeys("compute");
        assertThat(answer.topics().get("compute").set()).extracting(Member::nodeId).containsExactly("c1");
        assertThat(other).isNotDone();
        assertThat(hub.waiting()).isEqualTo(1);
        other.cancel(true);
    }

    @Test
    void deltaNamesTheNodesThatLeftAndTheTopicsNewPolicy() throws Exception {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        put("/api/v1/nodes/c2", registration(List.of("compute"), "tcp://c2:9501", 30)).expectStatus().isCreated();
        long revision = watches.snapshot("compute").revision();
        delete("/api/v1/nodes/c1").expectStatus().isNoContent();
        put("/api/v1/policies/topics/compute", "{\"policy\":\"amqp\"}").expectStatus().isOk();

        WatchAnswer answer = watches.answer(watches.watch("compute", revision, LONG_WAIT).get(10, TimeUnit.SECONDS));

        TopicState compute = answer.topics().get("compute");
        assertThat(compute.removed()).containsExactly("c1");
        assertThat(compute.set()).isEmpty();
        assertThat(compute.policy()).isEqualTo("amqp");
        assertThat(answer.revision()).isEqualTo(revision + 2);
    }

    @Test
    void aNodesOwnPolicyChangeWakesTheWatchersOfItsTopics() throws Exception {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        long revision = watches.snapshot("compute").revision();
        CompletableFuture<HttpResponse<String>> watch = watches.watch("compute", revision, LONG_WAIT);
        awaitWaiting(1);

        put("/api/v1/policies/nodes/c1", "{\"policy\":\"zmq\"}").expectStatus().isOk();

        assertThat(watches.answer(watch.get(10, TimeUnit.SECONDS)).topics().get("compute").set())
                .containsExactly(new Member("c1", "tcp://c1:9501", List.of("zmq", "amqp"), null, "zmq"));
    }

    @Test
    void statsAndHeartbeatsWakeNoWatcher() throws Exception {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        long revision = watches.snapshot("compute").revision();
        CompletableFuture<HttpResponse<String>> watch = watches.watch("compute", revision, "2s");
        awaitWaiting(1);

        put("/api/v1/nodes/c1/stats", "{\"sent\":{\"zmq\":5}}").expectStatus().isNoContent();
        put("/api/v1/nodes/c1/heartbeat", "").expectStatus().isNoContent();

        HttpResponse<String> response = watch.get(10, TimeUnit.SECONDS); // the end of its wait, not a change
        assertThat(response.body()).isEqualTo("{\"revision\":" + revision + "}");
    }

    @Test
    void snapshotsAreReusedOnlyUntilTheTopicChanges() {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        assertThat(watches.snapshot("compute").topics().get("compute").set()).extracting(Member::nodeId)
                .containsExactly("c1");
        assertThat(watches.snapshot("cells,compute").topics().get("compute").set()).hasSize(1);

        put("/api/v1/nodes/c2", registration(List.of("compute"), "tcp://c2:9501", 30)).expectStatus().isCreated();
        put("/api/v1/policies/nodes/c1", "{\"policy\":\"amqp\"}").expectStatus().isOk();

        WatchAnswer after = watches.snapshot("compute");
        assertThat(after.topics().get("compute").set()).containsExactly(
                new Member("c1", "tcp://c1:9501", List.of("zmq", "amqp"), null, "amqp"),
                new Member("c2", "tcp://c2:9501", List.of("zmq", "amqp"), null, null));
        assertThat(watches.snapshot("cells,compute").topics().get("compute").set()).hasSize(2);
    }

    @Test
    void revisionTheServiceDoesNotKnowGetsASnapshotAtOnce() throws Exception {
        put("/api/v1/nodes/c1", registration(List.of("compute"), "tcp://c1:9501", 30)).expectStatus().isCreated();
        long current = watches.snapshot("compute").revision();

        for (long unknown : List.of(current + 1000, 1L)) { // from a later life, from before a restart
            WatchAnswer answer = watches.answer(watches.watch("compute", unknown, LONG_WAIT).get(10, TimeUnit.SECONDS));
            assertThat(answer.fullSnapshot()).isTrue();
            assertThat(answer.revision()).isEqualTo(current);
            assertThat(answer.topics().get("compute").set()).extracting(Member::nodeId).containsExactly("c1");
        }
    }

    @Test
    void badWatchesAre400ProblemsNamingTheParameter() throws Exception {
        for (String[] row : new String[][] {
                {"?since=1", "topics"}, {"?topics=", "topics"}, {"?topics=Bad!", "topics"},
                {"?topics=a&since=abc", "since"}, {"?topics=a&since=-1", "since"}, {"?topics=a&wait=forever", "wait"},
                {"?topics=a&wait=6m", "wait"}, {"?topics=a&wait=0s", "wait"},
                {"?topics=" + "a,".repeat(300) + "a", "topics"}}) {
            HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                            + "/api/v1/watch" + row[0])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(row[0]).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(row[0]).contains("application/problem+json");
            assertThat(response.body()).as(row[0]).contains("\"field\":\"" + row[1] + "\"");
        }
        HttpResponse<String> post = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/watch?topics=a"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).contains("\"status\":405");
    }

    private void awaitWaiting(int count) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> hub.waiting() >= count);
    }
}
