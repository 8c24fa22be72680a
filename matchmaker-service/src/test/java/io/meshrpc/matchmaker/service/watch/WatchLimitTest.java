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

/** A flood of watches beyond the bound is refused with a problem, and the held ones keep working. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "meshrpc.matchmaker.watch.max-watches=2")
class WatchLimitTest {

    @LocalServerPort
    int port;

    @Autowired
    WatchHub hub;

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
