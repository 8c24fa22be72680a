package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.Registration;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.RestMatchmakerSettings;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link RestMatchmaker} against the real matchmaker-service over HTTP: it watches the topics its node uses and
 * nothing else, takes a full snapshot from a service that lost its revision, serves its last view through an
 * outage, and keeps its heartbeats small. What the service is asked is read from a {@link RecordingProxy}.
 */
class RestMatchmakerWatchTest {

    private static final Duration TTL = Duration.ofSeconds(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void clientWatchesOnlyTheTopicsItHasUsed() throws Exception {
        String service = url(service(0));
        register(service, "alpha-1", "alpha");
        register(service, "beta-1", "beta");
        register(service, "gamma-1", "gamma");
        RecordingProxy proxy = proxy(service);
        RestMatchmaker client = client(settings(proxy.url()));

        assertThat(ids(client.lookup("alpha"))).containsExactly("alpha-1");
        assertThat(proxy.watches()).isNotEmpty().allSatisfy(w -> assertThat(w.watchedTopics()).containsExactly("alpha"));

        assertThat(client.node("beta", "beta-1")).map(NodeRef::nodeId).contains("beta-1");
        Awaitility.await().until(() -> last(proxy.watches()).watchedTopics().equals(Set.of("alpha", "beta")));
        long joined = register(service, "alpha-2", "alpha");
        Awaitility.await().until(() -> ids(client.lookup("alpha")).equals(List.of("alpha-1", "alpha-2")));

        assertThat(client.viewRevisions()).containsOnlyKeys("alpha", "beta");
        assertThat(client.viewRevisions().get("alpha")).isGreaterThanOrEqualTo(joined);
        assertThat(proxy.watches()).allSatisfy(w -> assertThat(Set.of("alpha", "beta")).containsAll(w.watchedTopics()));
        assertThat(proxy.requests()).as("no fleet-wide read: only watches")
                .allSatisfy(r -> assertThat(r.path()).isEqualTo(MatchmakerProtocol.WATCH_PATH));
    }

    @Test
    void clientResyncsAfterAnInMemoryServiceRestarts() throws Exception {
        int port = freePort();
        ConfigurableApplicationContext first = service(port);
        String service = url(first);
        register(service, "old-1", "echo");
        RestMatchmaker server = client(settings(service));
        server.register(new Registration(new NodeRef("beating-1", "tcp://127.0.0.1:9999"), Set.of("echo"),
                List.of("zmq"), Map::of));
        RestMatchmaker client = client(settings(service));
        Awaitility.await().until(() -> ids(client.lookup("echo")).equals(List.of("beating-1", "old-1")));
        long before = client.viewRevisions().get("echo");

        first.close();
        service(port); // a new in-memory registry on the same port: it never heard of the client's revision
        long registered = register(service, "new-1", "echo");

        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> ids(client.lookup("echo")).equals(List.of("beating-1", "new-1")));
        assertThat(client.viewRevisions().get("echo")).isGreaterThan(before).isGreaterThanOrEqualTo(registered);
    }

    @Test
    void clientKeepsServingTheLastViewWhileTheServiceIsDown() throws Exception {
        ConfigurableApplicationContext context = service(0);
        String service = url(context);
        register(service, "echo-1", "echo");
        send("PUT", service + "/api/v1/policies/topics/echo", "{\"policy\":\"amqp\"}");
        RecordingProxy proxy = proxy(service);
        RestMatchmaker client = client(settings(proxy.url()));
        assertThat(ids(client.lookup("echo"))).containsExactly("echo-1");
        assertThat(client.cacheAge()).as("a watch waits on a reachable service").contains(Duration.ZERO);

        // counted from before the stop: the service answers the waiting watch as it stops, and the client's
        // next watches fail and are retried while close() is still shutting the rest of it down
        int before = proxy.watches().size();
        context.close();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> client.cacheAge().orElseThrow().compareTo(Duration.ofMillis(1500)) > 0);

        assertThat(ids(client.lookup("echo"))).containsExactly("echo-1");
        assertThat(client.node("echo-1")).isPresent();
        assertThat(client.policy("echo-1", "echo")).contains(DeliveryPolicy.AMQP);
        assertThat(proxy.watches().size() - before).as("watches retried with back-off, not in a loop")
                .isBetween(2, 16);
    }

    @Test
    void firstLookupOfANewTopicWaitsForItsSnapshot() throws Exception {
        ConfigurableApplicationContext context = service(0);
        String service = url(context);
        register(service, "echo-1", "echo");
        Duration firstLookupTimeout = Duration.ofMillis(500);
        RestMatchmaker client = client(settings(service).withFirstLookupTimeout(firstLookupTimeout));

        assertThat(ids(client.lookup("echo"))).as("the first look-up waited for the snapshot")
                .containsExactly("echo-1");

        context.close();
        long start = System.nanoTime();
        assertThat(ids(client.lookup("echo"))).containsExactly("echo-1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a topic in use never waits")
                .isLessThan(Duration.ofMillis(200));
        start = System.nanoTime();
        assertThat(client.lookup("other")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a new topic waits, bounded")
                .isBetween(firstLookupTimeout.minusMillis(50), firstLookupTimeout.plusSeconds(1));
        start = System.nanoTime();
        assertThat(client.lookup("other")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("only the first look-up waits")
                .isLessThan(Duration.ofMillis(200));
    }

    @Test
    void heartbeatWithoutChangeIsTheSmallRequest() throws Exception {
        String service = url(service(0));
        RecordingProxy proxy = proxy(service);
        RestMatchmaker node = client(settings(proxy.url()));
        node.register(new Registration(new NodeRef("beating-1", "tcp://127.0.0.1:9999"), Set.of("echo"),
                List.of("zmq"), () -> Map.of("sent", Map.of("zmq", 1))));
        String full = MatchmakerProtocol.nodePath("beating-1");
        String beat = MatchmakerProtocol.heartbeatPath("beating-1");

        Awaitility.await().until(() -> proxy.requests("PUT", beat).stream().filter(r -> r.answered() == 204).count() >= 2);
        assertThat(proxy.requests("PUT", full)).hasSize(1).allSatisfy(r -> assertThat(r.body()).contains("\"topics\""));
        assertThat(proxy.requests("PUT", beat)).allSatisfy(r -> assertThat(r.body()).isEmpty());
        assertThat(proxy.requests("PUT", MatchmakerProtocol.statsPath("beating-1")))
                .as("the stats went with the registration and did not change").isEmpty();

        send("DELETE", service + full, null); // the service forgets the node, as a restarted one would

        Awaitility.await().until(() -> proxy.requests("PUT", full).size() == 2);
        List<RecordingProxy.Request> log = proxy.requests();
        int reRegistration = log.lastIndexOf(last(proxy.requests("PUT", full)));
        assertThat(log.get(reRegistration - 1)).as("after a heartbeat the service did not know")
                .satisfies(r -> assertThat(r.is("PUT", beat)).isTrue())
                .satisfies(r -> assertThat(r.status().get()).isEqualTo(404));
        assertThat(last(proxy.requests("PUT", full)).body()).contains("\"topics\"", "\"endpoint\"");
        Awaitility.await().until(() -> send("GET", service + full, null).statusCode() == 200);
    }

    @Test
    void statsGoOnTheirOwnAndOnlyWhenTheyChanged() throws Exception {
        String service = url(service(0));
        RecordingProxy proxy = proxy(service);
        AtomicReference<Map<String, Object>> stats = new AtomicReference<>(Map.of("sent", Map.of("zmq", 1)));
        RestMatchmaker node = client(settings(proxy.url()).withStatsInterval(Duration.ofMillis(100)));
        node.register(new Registration(new NodeRef("counting-1", "tcp://127.0.0.1:9999"), Set.of("echo"),
                List.of("zmq"), stats::get));
        String statsPath = MatchmakerProtocol.statsPath("counting-1");
        String beat = MatchmakerProtocol.heartbeatPath("counting-1");

        stats.set(Map.of("sent", Map.of("zmq", 7)));

        Awaitility.await().until(() -> proxy.requests("PUT", statsPath).size() == 1);
        int beatsThen = proxy.requests("PUT", beat).size();
        Awaitility.await().until(() -> proxy.requests("PUT", beat).size() >= beatsThen + 2); // 20 stats intervals
        assertThat(proxy.requests("PUT", statsPath)).singleElement()
                .satisfies(r -> assertThat(JSON.readTree(r.body()).path("sent").path("zmq").asInt()).isEqualTo(7));
        assertThat(JSON.readTree(send("GET", service + MatchmakerProtocol.nodePath("counting-1"), null).body())
                .path("stats").path("sent").path("zmq").asInt()).isEqualTo(7);
    }

    private ConfigurableApplicationContext service(int port) {
        ConfigurableApplicationContext service = new SpringApplicationBuilder(MatchmakerApplication.class)
                // command-line arguments: they win over the service's own application.properties. Closing stands
                // for the service going away (a crash): no graceful wait for the watches it holds.
                .run("--server.port=" + port, "--meshrpc.enabled=false", "--spring.main.banner-mode=off",
                        "--meshrpc.matchmaker.sweep-interval=200ms", "--server.shutdown=immediate");
        open.add(service::close);
        return service;
    }

    private static String url(ConfigurableApplicationContext service) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
    }

    private RecordingProxy proxy(String service) throws IOException {
        RecordingProxy proxy = RecordingProxy.to(service);
        open.add(proxy);
        return proxy;
    }

    private static RestMatchmakerSettings settings(String url) {
        return RestMatchmakerSettings.of(url, null, TTL);
    }

    private RestMatchmaker client(RestMatchmakerSettings settings) {
        RestMatchmaker client = new RestMatchmaker(settings, JSON);
        open.add(client);
        return client;
    }

    /** Registers a node straight with the service (no heartbeats: it expires after a day); the change's revision. */
    private long register(String service, String nodeId, String topic) throws Exception {
        HttpResponse<String> answer = send("PUT", service + MatchmakerProtocol.nodePath(nodeId),
                "{\"topics\":[\"" + topic + "\"],\"endpoint\":\"tcp://127.0.0.1:9999\",\"ttlSeconds\":86400}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Long.parseLong(answer.headers().firstValue(MatchmakerProtocol.REVISION_HEADER).orElseThrow());
    }

    private HttpResponse<String> send(String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(List<NodeRef> nodes) {
        return nodes.stream().map(NodeRef::nodeId).toList();
    }

    private static <T> T last(List<T> list) {
        assertThat(list).isNotEmpty();
        return list.get(list.size() - 1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
