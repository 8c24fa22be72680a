package io.meshrpc.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Nodes that exist only in the matchmaker: each registered once through the REST API
 * ({@code PUT /api/v1/nodes/{id}}) with a TTL of an hour, by several threads. Node {@code i} (1-based) is
 * {@code node-%05d}; every node serves {@code compute}, every 100th also {@code scheduler}, every 1000th also
 * {@code consoleauth}; every 5th receives on AMQP only; each reports traffic counts in its stats.
 */
final class SimulatedFleet {

    private final String matchmaker;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SimulatedFleet(String matchmaker) {
        this.matchmaker = matchmaker;
    }

    static String nodeId(int i) {
        return "node-%05d".formatted(i);
    }

    /** Registers nodes {@code 1..count} with {@code threads} threads; returns when every one answered 201. */
    void register(int count, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t + 1;
                parts.add(pool.submit(() -> {
                    for (int i = first; i <= count; i += threads) {
                        put("/api/v1/nodes/" + nodeId(i), body(i), 201);
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering the fleet", ex);
        } catch (ExecutionException ex) {
            throw new IllegalStateException("registering the fleet failed", ex.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sets a topic's or a node's override ({@code scope}: {@code topics} or {@code nodes}). */
    void policy(String scope, String name, String policy) {
        put("/api/v1/policies/" + scope + "/" + name, "{\"policy\":\"" + policy + "\"}", 200);
    }

    private static String body(int i) {
        List<String> topics = new ArrayList<>(List.of("\"compute\""));
        if (i % 100 == 0) {
            topics.add("\"scheduler\"");
        }
        if (i % 1000 == 0) {
            topics.add("\"consoleauth\"");
        }
        boolean amqpOnly = i % 5 == 0;
        return """
                {"topics":[%s],%s"transports":%s,"ttlSeconds":3600,
                 "stats":{"sent":{"zmq":%d,"amqp":%d},"received":{"zmq":%d,"amqp":%d}}}"""
                .formatted(String.join(",", topics),
                        amqpOnly ? "" : "\"endpoint\":\"tcp://" + nodeId(i) + ":9501\",",
                        amqpOnly ? "[\"amqp\"]" : "[\"zmq\",\"amqp\"]",
                        amqpOnly ? 0 : 100 + i % 900, 10 + i % 40, amqpOnly ? 0 : 90 + i % 700, 5 + i % 30);
    }

    private void put(String path, String json, int expected) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(matchmaker + path))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("PUT " + path, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
