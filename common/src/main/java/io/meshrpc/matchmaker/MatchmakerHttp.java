package io.meshrpc.matchmaker;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.protocol.WatchAnswer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requests a node makes to {@code matchmaker-service}, with the protocol's types in and out
 * ({@code docs/matchmaker-api.md}). The JDK client is made on first use, not in the constructor: it starts a
 * selector thread.
 */
final class MatchmakerHttp {

    /** Writes and connects that take longer than this count as failures, retried on the next beat. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** A watch answers by the end of its wait plus the service's jitter (up to wait/16); this covers the trip. */
    private static final Duration WATCH_MARGIN = Duration.ofSeconds(5);

    /** A status and body that are not the answer asked for; the caller decides what a status means. */
    static final class UnexpectedAnswer extends IOException {
        private final int status;

        UnexpectedAnswer(String what, int status, String body) {
            super(what + " answered " + status + (body == null || body.isBlank() ? "" : ": " + body));
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** The service's URL without a trailing slash; paths are appended, so a path prefix (a proxy's) is kept. */
    private final String base;
    private final String token;
    private final JsonMapper mapper;
    private HttpClient client;

    MatchmakerHttp(String url, String token, JsonMapper mapper) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token == null || token.isBlank() ? null : token;
        this.mapper = mapper;
    }

    /**
     * {@code GET /api/v1/watch}: completes with the answer when the service gives one (at once for a snapshot,
     * else when one of {@code topics} changes or the wait ends), exceptionally when it fails or answers other
     * than 200. Holds no thread while it waits.
     *
     * @param since the revision held, or {@code null} for a snapshot
     */
    CompletableFuture<WatchAnswer> watch(Collection<String> topics, Long since, Duration wait) {
        StringBuilder query = new StringBuilder("?topics=")
                .append(URLEncoder.encode(String.join(",", topics), StandardCharsets.UTF_8))
                .append("&wait=").append(MatchmakerProtocol.waitParameter(wait));
        if (since != null) {
            query.append("&since=").append(since);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + MatchmakerProtocol.WATCH_PATH + query))
                .timeout(wait.plus(wait.dividedBy(16)).plus(WATCH_MARGIN)).GET().build();
        return client().sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new java.util.concurrent.CompletionException(
                        new UnexpectedAnswer("watch", response.statusCode(), response.body()));
            }
            return mapper.readValue(response.body(), WatchAnswer.class);
        });
    }

    /**
     * A {@code PUT} with a JSON body, or none.
     *
     * @return the status
     */
    int put(String path, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (body == null) {
            request.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            request.PUT(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                    .header("Content-Type", "application/json");
        }
        return write(request, "PUT " + path);
    }

    /** @return the status */
    int delete(String path) throws IOException {
        return write(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), "DELETE " + path);
    }

    private int write(HttpRequest.Builder request, String what) throws IOException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client().send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300 && response.statusCode() != 404) {
                throw new UnexpectedAnswer(what, response.statusCode(), response.body());
            }
            return response.statusCode();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", ex);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            // HTTP/1.1: a watch is one plain long request; no h2c upgrade dance with the service's server
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT)
                    .build();
        }
        return client;
    }
}
