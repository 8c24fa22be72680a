package io.meshrpc.matchmaker.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.protocol.WatchAnswer;
import tools.jackson.databind.json.JsonMapper;

/** Sends watches to a running matchmaker over real HTTP, as a node would, and reads their answers. */
public final class WatchClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;

    public WatchClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A watch of {@code topics} (comma separated) from {@code since} (null: none), answered later. */
    public CompletableFuture<HttpResponse<String>> watch(String topics, Long since, String wait) {
        String query = "?topics=" + topics + (since == null ? "" : "&since=" + since)
                + (wait == null ? "" : "&wait=" + wait);
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + MatchmakerProtocol.WATCH_PATH + query))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public WatchAnswer answer(HttpResponse<String> response) {
        return json.readValue(response.body(), WatchAnswer.class);
    }

    /** The snapshot of {@code topics}, at once. */
    public WatchAnswer snapshot(String topics) {
        return answer(watch(topics, null, null).join());
    }
}
