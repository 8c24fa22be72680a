package io.meshrpc.gateway.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's client of the matchmaker's REST API, for the dashboard: reads the fleet summary and
 * one page of nodes at a time (never the whole fleet), and changes delivery policies with the
 * gateway's bearer token ({@code meshrpc.matchmaker.token}), which never reaches the browser.
 */
@Component
public class MatchmakerAdmin {

    private final String baseUrl;
    private final String token;
    private final Duration timeout;
    private final JsonMapper json;
    private final HttpClient http;

    public MatchmakerAdmin(@Value("${meshrpc.matchmaker.url:http://127.0.0.1:8500}") String baseUrl,
                           @Value("${meshrpc.matchmaker.token:}") String token, DashboardProperties properties,
                           JsonMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.timeout = properties.matchmakerTimeout();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * {@code GET /api/v1/fleet/summary}: the fleet in numbers (per topic, per policy in force, traffic per
     * transport), a few hundred bytes per topic whatever the number of nodes.
     */
    public JsonNode summary() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/fleet/summary")).GET(),
                "read the fleet summary");
        if (response.statusCode() != 200) {
            throw unexpected(response, "/api/v1/fleet/summary");
        }
        return parse(response.body());
    }

    /**
     * {@code GET /api/v1/fleet/nodes}: one page of live nodes by id, those whose id contains {@code q} and that serve
     * {@code topic} ({@code null} or empty: no filter). The parameters go as given: the matchmaker checks them, and
     * its 400 is relayed with the field it names.
     */
    public JsonNode nodes(String offset, String limit, String q, String topic) {
        StringBuilder query = new StringBuilder();
        param(query, "offset", offset);
        param(query, "limit", limit);
        param(query, "q", q);
        param(query, "topic", topic);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/fleet/nodes" + query)).GET(),
                "read a page of nodes");
        if (response.statusCode() == 400) {
            check(response); // the parameters: relayed with the field the matchmaker names
        }
        if (response.statusCode() != 200) {
            throw unexpected(response, "/api/v1/fleet/nodes");
        }
        return parse(response.body());
    }

    /** A read answered neither 200 nor a bad-request problem; 404: a matchmaker older than its fleet views. */
    private MatchmakerUnavailableException unexpected(HttpResponse<String> response, String path) {
        return new MatchmakerUnavailableException("The matchmaker at " + baseUrl + " answered "
                + response.statusCode() + " to GET " + path
                + (response.statusCode() == 404 ? " (a matchmaker without the fleet views: upgrade it)" : ""), null);
    }

    private static void param(StringBuilder query, String name, String value) {
        if (value != null && !value.isEmpty()) {
            query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** {@code PUT /api/v1/policies/{scope}/{name}}: the matchmaker's answer. */
    public JsonNode setPolicy(String scope, String name, String policy) {
        String body = json.createObjectNode().put("policy", policy).toString();
        HttpResponse<String> response = send(write(HttpRequest.newBuilder(uri(policyPath(scope, name)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))), "set a policy");
        check(response);
        return parse(response.body());
    }

    /** {@code DELETE /api/v1/policies/{scope}/{name}}: back to the node's own configuration. */
    public void clearPolicy(String scope, String name) {
        check(send(write(HttpRequest.newBuilder(uri(policyPath(scope, name))).DELETE()), "clear a policy"));
    }

    private static String policyPath(String scope, String name) {
        return "/api/v1/policies/" + scope + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder write(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MatchmakerUnavailableException("The matchmaker at " + baseUrl + " did not answer (" + what
                    + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatchmakerUnavailableException("Interrupted while asking the matchmaker to " + what, e);
        }
    }

    /** 2xx passes; 400/404 are the caller's to fix (relayed); anything else is the matchmaker's or ours. */
    private void check(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        JsonNode problem = parseQuietly(response.body());
        String detail = problem.path("detail").asString("");
        if (status == 400 || status == 404) {
            String field = problem.path("field").isString() ? problem.path("field").asString() : null;
            throw new MatchmakerProblemException(status, detail.isEmpty() ? "The matchmaker answered " + status
                    : detail, field);
        }
        if (status == 401) {
            throw new MatchmakerUnavailableException("The matchmaker at " + baseUrl + " refused the gateway's token: "
                    + "set meshrpc.matchmaker.token to the matchmaker's", null);
        }
        throw new MatchmakerUnavailableException("The matchmaker at " + baseUrl + " answered " + status
                + (detail.isEmpty() ? "" : ": " + detail), null);
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw new MatchmakerUnavailableException("The matchmaker at " + baseUrl + " answered something that is "
                    + "not JSON", e);
        }
    }

    private JsonNode parseQuietly(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }
}
