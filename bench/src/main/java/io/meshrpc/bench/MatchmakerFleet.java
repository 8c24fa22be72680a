package io.meshrpc.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshrpc.matchmaker.service.MatchmakerApplication;

/**
 * A {@code matchmaker-service} started in the benchmark's JVM (in-memory store, a free port) with
 * {@value #NODES} nodes registered through its REST API, each serving one of {@value #TOPICS}
 * topics: {@value #NODES_PER_TOPIC} nodes per topic.
 *
 * <p>The layout is fixed and computed ({@link #nodeId}, {@link #topic}, {@link #topicOf},
 * {@link #endpoint}), so that scenarios know what every look-up must answer. Registration goes
 * through the API as nodes would do it, {@value #REGISTER_THREADS} requests in flight at a time;
 * the time to live outlasts any run, so no node drops out during a measurement and nothing
 * heartbeats. The scenarios use one {@link #shared()} fleet.
 */
final class MatchmakerFleet implements AutoCloseable {

    static final int NODES = 10_000;
    static final int TOPICS = 500;
    static final int NODES_PER_TOPIC = NODES / TOPICS;
    /** Longer than any run; the service allows up to a day. */
    static final int TTL_SECONDS = 6 * 3600;
    static final int REGISTER_THREADS = 8;
    private static final int PROGRESS_EVERY = 2_500;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static MatchmakerFleet shared;

    private final ConfigurableApplicationContext service;
    private final URI base;

    private MatchmakerFleet(ConfigurableApplicationContext service, URI base) {
        this.service = service;
        this.base = base;
    }

    /**
     * The fleet the matchmaker scenarios share: started by the first one that runs, kept until
     * {@link #closeShared()} at the end of the run. Sharing is sound because the scenarios only
     * read the registry, and it spares a run a second start and 10,000 more registrations.
     */
    static synchronized MatchmakerFleet shared() throws InterruptedException {
        if (shared == null) {
            shared = start();
        } else {
            Progress.say("reusing the matchmaker-service on %s and its %,d nodes", shared.base, NODES);
        }
        return shared;
    }

    /** Stops the shared fleet, if one was started. */
    static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** Starts the service and registers the whole fleet; returns once every node is registered. */
    static MatchmakerFleet start() throws InterruptedException {
        long startedAt = System.nanoTime();
        // its warning that writes are open (no token) is expected here: loopback only, a free port
        System.setProperty("org.slf4j.simpleLogger.log.io.meshrpc.matchmaker.service.security", "error");
        // as command-line arguments: builder properties are defaults, which the service's own
        // application.properties (server.port=8500) would override. Tomcat's class loader warns at
        // stop about prometheus-metrics-scheduler-0, the Prometheus client's JVM-wide daemon thread
        // (a static scheduler, never meant to stop with one application): only errors from it.
        ConfigurableApplicationContext service = new SpringApplicationBuilder(MatchmakerApplication.class)
                .run("--server.port=0", "--meshrpc.enabled=false", "--meshrpc.matchmaker.store=memory",
                        "--spring.main.banner-mode=off", "--spring.main.log-startup-info=false",
                        "--logging.level.root=warn",
                        "--logging.level.org.apache.catalina.loader.WebappClassLoaderBase=error");
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        MatchmakerFleet fleet = new MatchmakerFleet(service, URI.create("http://127.0.0.1:" + port + "/"));
        Progress.say("matchmaker-service started on port %d in %.1f s", port, (System.nanoTime() - startedAt) / 1e9);
        try {
            fleet.registerAll();
        } catch (InterruptedException | RuntimeException ex) {
            fleet.close();
            throw ex;
        }
        return fleet;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    URI base() {
        return base;
    }

    static String nodeId(int i) {
        return String.format(Locale.ROOT, "node-%05d", i);
    }

    static String topic(int t) {
        return String.format(Locale.ROOT, "topic-%03d", t);
    }

    /** The topic node {@code i} serves: nodes are dealt round the topics like cards. */
    static int topicOf(int i) {
        return i % TOPICS;
    }

    /** A distinct, valid ZeroMQ endpoint per node (nobody listens there: only the registry is measured). */
    static String endpoint(int i) {
        return "tcp://10.1." + (i >> 8) + "." + (i & 0xff) + ":9501";
    }

    static String registration(int i) {
        return "{\"topics\":[\"" + topic(topicOf(i)) + "\"],\"endpoint\":\"" + endpoint(i)
                + "\",\"transports\":[\"zmq\",\"amqp\"],\"ttlSeconds\":" + TTL_SECONDS + "}";
    }

    private void registerAll() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT).build();
        AtomicInteger nextNode = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        Progress.say("registering %,d nodes over %d topics through PUT /api/v1/nodes/{nodeId}, %d at a time",
                NODES, TOPICS, REGISTER_THREADS);
        // Blocking sends from a few threads rather than sendAsync: on a machine with fewer than 3
        // cores, java.net.http runs each async completion on a new thread (CompletableFuture's
        // fallback when the common pool has parallelism 1), one thread per registration.
        Runnable registrar = () -> {
            for (int i = nextNode.getAndIncrement(); i < NODES && firstError.get() == null;
                 i = nextNode.getAndIncrement()) {
                String problem = register(http, i);
                if (problem != null) {
                    firstError.compareAndSet(null, nodeId(i) + ": " + problem);
                    return;
                }
                int n = done.incrementAndGet();
                if (n % PROGRESS_EVERY == 0) {
                    Progress.say("  %,d/%,d registered (%,.0f/s)", n, NODES, n / ((System.nanoTime() - start) / 1e9));
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < REGISTER_THREADS; t++) {
            Thread thread = new Thread(registrar, "bench-register-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (firstError.get() != null) {
            throw new IllegalStateException("registration failed: " + firstError.get());
        }
        Progress.say("registered %,d nodes in %.1f s", done.get(), (System.nanoTime() - start) / 1e9);
    }

    /** Registers node {@code i}; what went wrong, or {@code null}. */
    private String register(HttpClient http, int i) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/nodes/" + nodeId(i)))
                .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(registration(i))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 201 || response.statusCode() == 200 ? null
                    : "HTTP " + response.statusCode() + " " + response.body();
        } catch (IOException ex) {
            return ex.toString();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        service.close();
    }
}
