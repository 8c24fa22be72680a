package io.meshrpc.launcher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.meshrpc.launcher.http.Http;
import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.protocol.PolicyRequest;
import tools.jackson.databind.JsonNode;

/**
 * Policy overrides written through the matchmaker's API ({@code docs/matchmaker-api.md}), each answered with the
 * registry revision of its change ({@code X-Meshrpc-Revision}): a sender holding that revision for a topic has
 * the change in force.
 */
final class PolicyWrites {

    /**
     * One override to set ({@code policy}) or remove ({@code null}), and the topics whose senders it concerns.
     *
     * @param path   under the service, e.g. {@code /api/v1/policies/topics/compute}
     * @param topics a topic override: that topic; a node override: the topics the node serves
     */
    record Write(String path, String policy, Set<String> topics) {

        static Write topic(String topic, String policy) {
            return new Write("/api/v1/policies/topics/" + topic, policy, Set.of(topic));
        }
    }

    /**
     * What a list of writes changed: per topic, the revision of the last change that concerns it (a sender of
     * that topic has every change of the list once it holds that revision for it). Topics that no write changed
     * are absent: their watchers are not woken, so their revisions do not move.
     */
    record Applied(Map<String, Long> revisions) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String matchmaker;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PolicyWrites(String matchmakerBaseUrl) {
        this.matchmaker = matchmakerBaseUrl;
    }

    /** A node override, concerning the topics the node serves now (none when the matchmaker does not know it). */
    Write node(String nodeId, String policy) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(MatchmakerProtocol.nodePath(nodeId))).GET());
        Set<String> topics = new LinkedHashSet<>();
        if (answer.statusCode() == 200) {
            Http.JSON.readTree(answer.body()).path("topics").forEach((JsonNode t) -> topics.add(t.asString()));
        }
        return new Write("/api/v1/policies/nodes/" + nodeId, policy, topics);
    }

    /** Applies the writes in order; removing an override that is not there changes nothing and is fine. */
    Applied apply(Iterable<Write> writes) {
        Map<String, Long> revisions = new TreeMap<>();
        for (Write write : writes) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(write.path()));
            if (write.policy() == null) {
                request.DELETE();
            } else {
                request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        Http.JSON.writeValueAsString(new PolicyRequest(write.policy()))));
            }
            HttpResponse<String> answer = send(request);
            if (answer.statusCode() == 404 && write.policy() == null) {
                continue;
            }
            if (answer.statusCode() >= 300) {
                throw new IllegalStateException(answer.request().method() + " " + write.path() + " answered "
                        + answer.statusCode() + ": " + answer.body());
            }
            long changed = answer.headers().firstValue(MatchmakerProtocol.REVISION_HEADER).map(Long::parseLong)
                    .orElseThrow(() -> new IllegalStateException("the matchmaker answered " + write.path()
                            + " without " + MatchmakerProtocol.REVISION_HEADER + ": is it older than this launcher?"));
            write.topics().forEach(topic -> revisions.merge(topic, changed, Math::max));
        }
        return new Applied(revisions);
    }

    private URI uri(String path) {
        return URI.create(matchmaker + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(TIMEOUT).build();
        try {
            return client.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new UncheckedIOException("The matchmaker does not answer at " + built.uri(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
