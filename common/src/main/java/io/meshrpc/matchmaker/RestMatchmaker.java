package io.meshrpc.matchmaker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client of {@code matchmaker-service}: registers this node and heartbeats, and answers every
 * look-up from a cache that a background thread refreshes.
 *
 * <p>Senders never wait on the matchmaker: look-ups read the last good view, which is kept, and
 * served, for as long as the service is unreachable. Traffic between nodes that know each other
 * therefore survives a matchmaker outage; only nodes that appear during it stay unknown until it
 * returns. {@link #cacheAge()} says how old the view is, for a gauge.
 */
public final class RestMatchmaker implements Matchmaker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RestMatchmaker.class);

    private final URI base;
    private final String token;
    private final Duration refreshInterval;
    private final Duration ttl;
    private final JsonMapper mapper;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private volatile View view = View.EMPTY;
    private volatile long viewAtNanos;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile boolean registered;

    /**
     * @param url             the service, e.g. {@code http://matchmaker:8500}
     * @param token           bearer token for writes, or {@code null}
     * @param refreshInterval how often the view is refreshed
     * @param ttl             registration TTL; heartbeats are sent three times per TTL
     */
    public RestMatchmaker(String url, String token, Duration refreshInterval, Duration ttl, JsonMapper mapper) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.token = token;
        this.refreshInterval = refreshInterval;
        this.ttl = ttl;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshrpc-matchmaker-client");
            t.setDaemon(true);
            return t;
        });
        refresh();
        scheduler.scheduleWithFixedDelay(this::refresh, refreshInterval.toMillis(), refreshInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public List<NodeRef> lookup(String topic) {
        return view.topics.getOrDefault(topic, List.of());
    }

    @Override
    public Optional<NodeRef> node(String nodeId) {
        return Optional.ofNullable(view.nodes.get(nodeId));
    }

    /**
     * The delivery policy the matchmaker sets for {@code nodeId} on {@code topic}: the node's
     * override, else the topic's, if any (the service's precedence, DESIGN §5).
     */
    @Override
    public Optional<String> policy(String nodeId, String topic) {
        View v = view;
        String p = nodeId == null ? null : v.nodePolicies.get(nodeId);
        return Optional.ofNullable(p != null ? p : v.topicPolicies.get(topic));
    }

    /** How old the view being served is; grows while the service is unreachable. */
    @Override
    public Optional<Duration> cacheAge() {
        return viewAtNanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - viewAtNanos));
    }

    @Override
    public void register(NodeRef node, Set<String> topics) {
        register(new Registration(node, topics, List.of("zmq"), Map::of));
    }

    /**
     * Registers, then heartbeats every third of the TTL. A heartbeat is the full registration
     * (idempotent PUT) with fresh stats, so a restarted in-memory matchmaker relearns the node.
     */
    @Override
    public void register(Registration registration) {
        NodeRef node = registration.node();
        if (registration.topics().isEmpty()) {
            log.info("Node {} serves no topic: not registered with the matchmaker (it only sends)", node.nodeId());
            registered = true;
            scheduler.execute(this::refresh);
            return;
        }
        Runnable beat = () -> {
            Map<String, Object> body = new HashMap<>();
            body.put("topics", registration.topics());
            body.put("endpoint", node.endpoint());
            body.put("publicKey", node.publicKey());
            body.put("transports", registration.transports());
            body.put("ttlSeconds", Math.max(1, ttl.toSeconds()));
            body.put("stats", registration.stats().get());
            if (send(HttpRequest.newBuilder(base.resolve("api/v1/nodes/" + node.nodeId()))
                    .PUT(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                    .header("Content-Type", "application/json"), "register")) {
                registered = true;
            }
        };
        beat.run();
        long period = Math.max(200, ttl.toMillis() / 3);
        heartbeat = scheduler.scheduleWithFixedDelay(beat, period, period, TimeUnit.MILLISECONDS);
        scheduler.execute(this::refresh);
    }

    @Override
    public void deregister(String nodeId) {
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        registered = false;
        send(HttpRequest.newBuilder(base.resolve("api/v1/nodes/" + nodeId)).DELETE(), "deregister");
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /**
     * Whether the service has taken this node's registration: once one registration was answered
     * with success, until {@link #deregister}. A heartbeat failing later does not undo it.
     */
    @Override
    public boolean isRegistered() {
        return registered;
    }

    @Override
    public PolicyOverrides policyOverrides() {
        View v = view;
        return new PolicyOverrides(v.nodePolicies, v.topicPolicies);
    }

    /** Returns whether the service answered with success. */
    private boolean send(HttpRequest.Builder request, String what) {
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300 && response.statusCode() != 404) {
                log.warn("Matchmaker {} answered {}: {}", what, response.statusCode(), response.body());
            }
            return response.statusCode() < 300;
        } catch (java.io.IOException ex) {
            log.warn("Matchmaker {} failed ({}); will retry", what, ex.toString());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void refresh() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("api/v1/nodes"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.warn("Matchmaker refresh answered {}; serving the view of {} ago", response.statusCode(), cacheAge());
                return;
            }
            HttpResponse<String> policies = http.send(HttpRequest.newBuilder(base.resolve("api/v1/policies"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (policies.statusCode() != 200) {
                log.warn("Matchmaker policies answered {}; serving the view of {} ago", policies.statusCode(), cacheAge());
                return;
            }
            view = View.of(mapper.readTree(response.body()), mapper.readTree(policies.body()));
            viewAtNanos = System.nanoTime();
        } catch (java.io.IOException | RuntimeException ex) {
            log.debug("Matchmaker unreachable ({}); serving the view of {} ago", ex.toString(), cacheAge());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** One immutable snapshot of the fleet and its policy overrides, swapped in whole. */
    private record View(Map<String, List<NodeRef>> topics, Map<String, NodeRef> nodes,
                        Map<String, String> nodePolicies, Map<String, String> topicPolicies) {

        static final View EMPTY = new View(Map.of(), Map.of(), Map.of(), Map.of());

        static View of(JsonNode fleet, JsonNode policies) {
            Map<String, List<NodeRef>> topics = new HashMap<>();
            Map<String, NodeRef> nodes = new HashMap<>();
            for (JsonNode n : fleet.path("nodes")) {
                String id = n.path("nodeId").asString();
                JsonNode endpoint = n.get("endpoint");
                JsonNode key = n.get("publicKey");
                NodeRef ref = new NodeRef(id, endpoint == null || endpoint.isNull() ? null : endpoint.asString(),
                        key == null || key.isNull() ? null : key.asString());
                nodes.put(id, ref);
                for (JsonNode topic : n.path("topics")) {
                    topics.computeIfAbsent(topic.asString(), t -> new ArrayList<>()).add(ref);
                }
            }
            topics.replaceAll((t, refs) -> List.copyOf(refs));
            return new View(Map.copyOf(topics), Map.copyOf(nodes), strings(policies.path("nodes")),
                    strings(policies.path("topics")));
        }

        private static Map<String, String> strings(JsonNode object) {
            Map<String, String> out = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (!e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().asString());
                }
            }
            return Map.copyOf(out);
        }
    }
}
