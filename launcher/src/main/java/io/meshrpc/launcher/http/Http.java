package io.meshrpc.launcher.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The little HTTP the launcher needs: JSON in and out, short timeouts (a service that does not
 * answer within seconds is reported, not waited on forever).
 */
public final class Http {

    /** An answer: status and body (JSON, or {@code null} when there was none). */
    public record Reply(int status, JsonNode body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration timeout;

    public Http(Duration timeout) {
        this.timeout = timeout;
    }

    public Reply get(String url) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public Reply delete(String url) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    public Reply post(String url, Object body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body))));
    }

    public Reply put(String url, Object body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** Whether {@code url} answers 200 with {@code {"status":"UP"}}; false when it cannot be reached. */
    public boolean isUp(String url) {
        try {
            Reply r = get(url);
            return r.status() == 200 && r.body() != null && "UP".equals(r.body().path("status").asString());
        } catch (IOException ex) {
            return false;
        }
    }

    private Reply send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = client.send(request.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body == null || body.isBlank() ? null : parse(body);
            return new Reply(response.statusCode(), json);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        } catch (ConnectException ex) {
            throw new ConnectException("cannot connect to " + request.build().uri());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException ex) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
