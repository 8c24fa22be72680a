package io.meshrpc.matchmaker.service.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.meshrpc.matchmaker.service.WatchClient;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A flood of watches beyond the bound is refused with a problem, and the held ones keep working; changes that come
 * together reach a watcher in one answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.matchmaker.watch.max-watches=2", "meshrpc.matchmaker.watch.coalesce=2s"})
class WatchLimitTest {

    @LocalServerPort
    int port;

    @Autowired
    WatchHub hub;

    @Test
    void aNodeReplacedWithinTheCoalescingWindowReachesAWatcherInOneAnswer() throws Exception {
        WatchClient watches = new WatchClient(port);
        register("old-1");
        long revision = watches.snapshot("cells").revision();
        CompletableFuture<HttpResponse<String>> watch = watches.watch("cells", revision, "5m");
        Awaitility.await().until(() -> hub.waiting() == 1);

        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/nodes/old-1")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        register("new-1");

        io.meshrpc.matchmaker.protocol.WatchAnswer answer = watches.answer(watch.get(10, TimeUnit.SECONDS));
        assertThat(answer.revision()).isEqualTo(revision + 2);
        assertThat(answer.topics().get("cells").removed()).containsExactly("old-1");
        assertThat(answer.topics().get("cells").set()).extracting(io.meshrpc.matchmaker.protocol.Member::nodeId)
                .containsExactly("new-1");
    }

    private void register(String nodeId) throws Exception {
        HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/nodes/" + nodeId))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"topics\":[\"cells\"],\"endpoint\":\"tcp://10.0.0.9:9501\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(201);
    }

    @Test
    void watchBeyondMaxWatchesIs503WithRetryAfterAndTheOthersStillAnswer() throws Exception {
        WatchClient watches = new WatchClient(port);
        long revision = watches.snapshot("compute").revision();
        CompletableFuture<HttpResponse<String>> first = watches.watch("compute", revision, "5m");
        CompletableFuture<HttpResponse<String>> second = watches.watch("compute", revision, "5m");
        Awaitility.await().until(() -> hub.waiting() == 2);

        HttpResponse<String> third = watches.watch("compute", revision, "5m").get(10, TimeUnit.SECONDS);

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).contains("5");
        assertThat(third.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(third.body()).contains("max-watches");
        hub.drain(); // what a shutdown does: every held watch is answered, unchanged
        assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"revision\":" + revision + "}");
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(hub.waiting()).isZero();
    }
}
