package io.meshrpc.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.meshrpc.gateway.events.EventFeedListener;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's JSON over HTTP, against a real matchmaker-service started in-process (in-memory
 * store, with a token): the gateway registers itself there like in the demo, the test registers
 * two more nodes with stats, and every policy change goes through the gateway to the matchmaker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=gateway-t", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "meshrpc.matchmaker.token=" + DashboardApiTest.TOKEN,
                "gateway.dashboard.sample-interval=1h", "management.health.redis.enabled=false"})
@AutoConfigureRestTestClient
class DashboardApiTest {

    static final String TOKEN = "dash-s3cret";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static ConfigurableApplicationContext matchmakerService;
    private static String matchmakerUrl;

    @DynamicPropertySource
    static void matchmaker(DynamicPropertyRegistry registry) {
        if (matchmakerService == null) {
            // command-line arguments: they win over the application.properties found first on the classpath
            matchmakerService = new SpringApplicationBuilder(MatchmakerApplication.class).run("--server.port=0",
                    "--meshrpc.enabled=false", "--spring.main.banner-mode=off", "--meshrpc.matchmaker.token=" + TOKEN,
                    "--meshrpc.matchmaker.store=memory", "--management.health.redis.enabled=false",
                    "--spring.data.redis.repositories.enabled=false", "--spring.application.name=matchmaker-service");
            matchmakerUrl = "http://127.0.0.1:"
                    + ((WebServerApplicationContext) matchmakerService).getWebServer().getPort();
        }
        registry.add("meshrpc.matchmaker.url", () -> matchmakerUrl);
    }

    @AfterAll
    static void stopMatchmaker() {
        if (matchmakerService != null) {
            matchmakerService.close();
            matchmakerService = null;
        }
    }

    @Autowired
    RestTestClient http;

    @Autowired
    MeterRegistry registry;

    @Autowired
    RateSampler sampler;

    @Autowired
    DashboardProperties properties;

    @Autowired
    ApplicationContext context;

    private static HttpResponse<String> matchmaker(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(matchmakerUrl + path))
                .header("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return CLIENT.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(RestTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }

    private JsonNode node(JsonNode page, String id) {
        return page.get("nodes").valueStream().filter(n -> id.equals(n.get("nodeId").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + id + " in " + page));
    }

    private JsonNode topic(JsonNode summary, String name) {
        return summary.get("topics").valueStream().filter(t -> name.equals(t.get("topic").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("no topic " + name + " in " + summary));
    }

    /** sched-d1 (zmq, topic override zmq-first), cauth-d1 (AMQP only, node override amqp), with stats. */
    private static void registerTwoNodesWithStatsAndOverrides() throws Exception {
        assertThat(matchmaker("PUT", "/api/v1/nodes/sched-d1", """
                {"topics":["scheduler"],"endpoint":"tcp://127.0.0.1:19999","transports":["zmq","amqp"],
                 "ttlSeconds":60,"stats":{"sent":{"zmq":300,"amqp":100},"received":{"zmq":100,"amqp":0}}}""")
                .statusCode()).isBetween(200, 201);
        assertThat(matchmaker("PUT", "/api/v1/nodes/cauth-d1", """
                {"topics":["consoleauth"],"transports":["amqp"],"ttlSeconds":60,
                 "stats":{"sent":{"amqp":50},"received":{"amqp":50}}}""").statusCode()).isBetween(200, 201);
        assertThat(matchmaker("PUT", "/api/v1/policies/topics/scheduler", "{\"policy\":\"zmq-first\"}").statusCode())
                .isEqualTo(200);
        assertThat(matchmaker("PUT", "/api/v1/policies/nodes/cauth-d1", "{\"policy\":\"amqp\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aPageOfNodesShowsEachWithItsPoliciesZmqLivenessAndShareOfTrafficPerTransport() throws Exception {
        registerTwoNodesWithStatsAndOverrides();
        // the gateway registers itself with its heartbeats, as in the demo
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get().uri("/api/v1/dashboard/nodes?q=gateway-t").exchange().expectStatus().isOk())
                        .get("total").asInt() == 1);

        JsonNode page = json(http.get().uri("/api/v1/dashboard/nodes").exchange().expectStatus().isOk());

        assertThat(page.get("total").asInt()).isEqualTo(page.get("nodes").size()).isGreaterThanOrEqualTo(3);
        assertThat(page.get("offset").asInt()).isZero();
        assertThat(page.get("limit").asInt()).isEqualTo(50);
        JsonNode sched = node(page, "sched-d1");
        assertThat(sched.get("state").asString()).isEqualTo("LIVE");
        assertThat(sched.get("zmqLive").asBoolean()).isTrue();
        assertThat(sched.get("topics").toString()).isEqualTo("[\"scheduler\"]");
        assertThat(sched.get("policies").get("scheduler").asString()).isEqualTo("zmq-first");
        assertThat(sched.get("nodePolicy").isNull()).isTrue();
        assertThat(sched.get("share").get("zmq").asDouble()).isCloseTo(0.8, within(1e-9));
        assertThat(sched.get("share").get("amqp").asDouble()).isCloseTo(0.2, within(1e-9));
        assertThat(sched.get("heartbeatAgeSeconds").asDouble()).isBetween(0.0, 30.0);

        JsonNode cauth = node(page, "cauth-d1");
        assertThat(cauth.get("zmqLive").asBoolean()).isFalse();
        assertThat(cauth.get("nodePolicy").asString()).isEqualTo("amqp");
        assertThat(cauth.get("policies").get("consoleauth").asString()).isEqualTo("amqp");
        assertThat(cauth.get("share").get("amqp").asDouble()).isEqualTo(1.0);

        JsonNode gateway = node(page, "gateway-t");
        assertThat(gateway.get("zmqLive").asBoolean()).isTrue();
    }

    @Test
    void theNodeTableIsPagedSearchedAndFilteredByTheMatchmaker() throws Exception {
        registerTwoNodesWithStatsAndOverrides();

        JsonNode second = json(http.get().uri("/api/v1/dashboard/nodes?offset=1&limit=1").exchange()
                .expectStatus().isOk());
        assertThat(second.get("offset").asInt()).isEqualTo(1);
        assertThat(second.get("limit").asInt()).isEqualTo(1);
        assertThat(second.get("nodes").size()).isEqualTo(1);
        assertThat(second.get("total").asInt()).isGreaterThanOrEqualTo(2);

        JsonNode found = json(http.get().uri("/api/v1/dashboard/nodes?q=SCHED-d&topic=scheduler").exchange()
                .expectStatus().isOk());
        assertThat(found.get("total").asInt()).isEqualTo(1);
        assertThat(found.get("nodes").get(0).get("nodeId").asString()).isEqualTo("sched-d1");
        JsonNode none = json(http.get().uri("/api/v1/dashboard/nodes?q=sched-d&topic=consoleauth").exchange()
                .expectStatus().isOk());
        assertThat(none.get("total").asInt()).isZero();

        JsonNode bad = json(http.get().uri("/api/v1/dashboard/nodes?limit=501").exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(bad.get("field").asString()).isEqualTo("limit");
        assertThat(bad.get("service").asString()).isEqualTo("matchmaker");
    }

    @Test
    void theSummaryCountsNodesPerTopicAndPolicyInForceAndTheFleetsShareOfTrafficPerTransport() throws Exception {
        registerTwoNodesWithStatsAndOverrides();
        // the matchmaker keeps a summary for about a second, and the gateway registers itself
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode summary = json(http.get().uri("/api/v1/dashboard/summary").exchange().expectStatus().isOk());
            assertThat(summary.get("count").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(topic(summary, "gateway").get("liveNodes").asInt()).isEqualTo(1);
        });

        JsonNode summary = json(http.get().uri("/api/v1/dashboard/summary").exchange().expectStatus().isOk());

        assertThat(summary.get("zmqLive").asInt()).isEqualTo(summary.get("count").asInt() - 1); // cauth-d1: AMQP only
        JsonNode scheduler = topic(summary, "scheduler");
        assertThat(scheduler.get("policy").asString()).isEqualTo("zmq-first");
        assertThat(scheduler.get("liveNodes").asInt()).isEqualTo(1);
        assertThat(scheduler.get("policies").get("zmq-first").asInt()).isEqualTo(1);
        JsonNode consoleauth = topic(summary, "consoleauth");
        assertThat(consoleauth.get("policy").isNull()).isTrue();
        assertThat(consoleauth.get("policies").get("amqp").asInt()).isEqualTo(1); // cauth-d1's node override
        assertThat(summary.get("policies").get("amqp").asInt()).isEqualTo(1);
        assertThat(summary.get("policies").get("zmq-first").asInt()).isEqualTo(1);
        assertThat(summary.get("policies").get("none").asInt()).isGreaterThanOrEqualTo(1); // the gateway
        long zmq = summary.get("sent").get("zmq").asLong() + summary.get("received").get("zmq").asLong();
        long amqp = summary.get("sent").get("amqp").asLong() + summary.get("received").get("amqp").asLong();
        assertThat(zmq).isGreaterThanOrEqualTo(400);
        assertThat(amqp).isGreaterThanOrEqualTo(200);
        assertThat(summary.get("share").get("zmq").asDouble()).isCloseTo((double) zmq / (zmq + amqp), within(1e-9));
    }

    @Test
    void aPolicySetThroughTheGatewayReachesTheMatchmakerWithTheGatewaysTokenAndClearsAgain() throws Exception {
        JsonNode answer = json(http.put().uri("/api/v1/dashboard/policies/topics/compute")
                .contentType(MediaType.APPLICATION_JSON).body("{\"policy\":\"zmq\"}").exchange()
                .expectStatus().isOk());
        assertThat(answer.get("topic").asString()).isEqualTo("compute");
        assertThat(answer.get("policy").asString()).isEqualTo("zmq");
        assertThat(JSON.readTree(matchmaker("GET", "/api/v1/policies/topics/compute", null).body())
                .get("policy").asString()).isEqualTo("zmq");

        http.put().uri("/api/v1/dashboard/policies/nodes/compute-9").contentType(MediaType.APPLICATION_JSON)
                .body("{\"policy\":\"zmq-first\"}").exchange().expectStatus().isOk();
        assertThat(JSON.readTree(matchmaker("GET", "/api/v1/policies/nodes/compute-9", null).body())
                .get("policy").asString()).isEqualTo("zmq-first");

        http.delete().uri("/api/v1/dashboard/policies/topics/compute").exchange().expectStatus().isNoContent();
        assertThat(matchmaker("GET", "/api/v1/policies/topics/compute", null).statusCode()).isEqualTo(404);
        JsonNode gone = json(http.delete().uri("/api/v1/dashboard/policies/topics/compute").exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(gone.get("field").asString()).isEqualTo("topic");
        assertThat(gone.get("service").asString()).isEqualTo("matchmaker");
    }

    @Test
    void aBadScopeNameOrPolicyIsA400ProblemNamingTheFieldAndNothingReachesTheMatchmaker() throws Exception {
        JsonNode scope = json(http.put().uri("/api/v1/dashboard/policies/hosts/compute")
                .contentType(MediaType.APPLICATION_JSON).body("{\"policy\":\"zmq\"}").exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(scope.get("title").asString()).isEqualTo("Invalid request");
        assertThat(scope.get("field").asString()).isEqualTo("scope");

        JsonNode policy = json(http.put().uri("/api/v1/dashboard/policies/topics/compute")
                .contentType(MediaType.APPLICATION_JSON).body("{\"policy\":\"carrier-pigeon\"}").exchange()
                .expectStatus().isBadRequest());
        assertThat(policy.get("field").asString()).isEqualTo("policy");
        assertThat(policy.get("detail").asString()).contains("carrier-pigeon", "zmq-first");

        JsonNode missing = json(http.put().uri("/api/v1/dashboard/policies/topics/compute")
                .contentType(MediaType.APPLICATION_JSON).body("{}").exchange().expectStatus().isBadRequest());
        assertThat(missing.get("field").asString()).isEqualTo("policy");

        JsonNode both = json(http.put().uri("/api/v1/dashboard/policies/everything/x")
                .contentType(MediaType.APPLICATION_JSON).body("{\"policy\":\"fast\"}").exchange()
                .expectStatus().isBadRequest());
        assertThat(both.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactly("scope", "policy");

        JsonNode name = json(http.put().uri("/api/v1/dashboard/policies/topics/Compute!")
                .contentType(MediaType.APPLICATION_JSON).body("{\"policy\":\"zmq\"}").exchange()
                .expectStatus().isBadRequest());
        assertThat(name.get("field").asString()).isEqualTo("name");

        JsonNode body = json(http.put().uri("/api/v1/dashboard/policies/topics/compute")
                .contentType(MediaType.APPLICATION_JSON).body("{\"policy\":").exchange()
                .expectStatus().isBadRequest());
        assertThat(body.get("field").asString()).isEqualTo("body");

        assertThat(matchmaker("GET", "/api/v1/policies/topics/compute", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theMatchmakerDownOrRefusingTheTokenIsA502NotA500() {
        MatchmakerAdmin nowhere = new MatchmakerAdmin("http://127.0.0.1:1", TOKEN, properties, JSON);
        assertThatThrownBy(nowhere::summary).isInstanceOf(MatchmakerUnavailableException.class)
                .hasMessageContaining("did not answer");
        MatchmakerAdmin wrongToken = new MatchmakerAdmin(matchmakerUrl, "wrong", properties, JSON);
        assertThatThrownBy(() -> wrongToken.setPolicy("topics", "compute", "zmq"))
                .isInstanceOf(MatchmakerUnavailableException.class).hasMessageContaining("meshrpc.matchmaker.token");
    }

    @Test
    void ratesAreComputedFromSuccessiveSamplesOfTheGatewaysMeters() {
        Counter zmq = Counter.builder(RateSampler.SENT).tags("transport", "zmq", "kind", "CAST", "topic", "dash-t",
                "outcome", "ok").register(registry);
        Counter failovers = Counter.builder(RateSampler.FAILOVERS).tags("topic", "dash-t", "reason", "no-ack")
                .register(registry);
        Timer calls = Timer.builder(RateSampler.CALL_DURATION).tags("transport", "zmq", "topic", "dash-t",
                "outcome", "success").register(registry);
        sampler.sample();
        long start = System.currentTimeMillis();
        zmq.increment(100);
        failovers.increment(10);
        for (int i = 0; i < 100; i++) {
            calls.record(i < 90 ? 10 : 200, TimeUnit.MILLISECONDS);
        }
        Awaitility.await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        sampler.sample();

        JsonNode rates = json(http.get().uri("/api/v1/dashboard/rates?since=" + (start - 1)).exchange()
                .expectStatus().isOk());
        assertThat(rates.get("source").asString()).contains("this gateway");
        JsonNode last = rates.get("points").get(rates.get("points").size() - 1);
        double seconds = last.get("seconds").asDouble();
        assertThat(last.get("sentPerSecond").get("zmq").asDouble()).isCloseTo(100 / seconds, within(1e-6));
        assertThat(last.get("failoversPerSecond").asDouble()).isCloseTo(10 / seconds, within(1e-6));
        assertThat(last.get("failoversByReason").get("no-ack").asDouble()).isCloseTo(10 / seconds, within(1e-6));
        // percentiles from the histogram buckets: within a bucket of the truth
        assertThat(last.get("p50Ms").asDouble()).isBetween(8.0, 12.0);
        assertThat(last.get("p99Ms").asDouble()).isBetween(150.0, 250.0);
        assertThat(last.get("meanMs").asDouble()).isCloseTo(0.9 * 10 + 0.1 * 200, within(0.5));
    }

    @Test
    void withoutABrokerTheEventFeedIsOffAndAnswersAnEmptyList() {
        assertThat(context.getBeansOfType(EventFeedListener.class)).as("no listener pool without a broker").isEmpty();

        JsonNode feed = json(http.get().uri("/api/v1/dashboard/events").exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON));

        assertThat(feed.get("enabled").asBoolean()).isFalse();
        assertThat(feed.get("events").isArray()).isTrue();
        assertThat(feed.get("events").size()).isZero();
        assertThat(feed.get("received").asLong()).isZero();
        assertThat(feed.get("capacity").asInt()).isEqualTo(200);
        assertThat(feed.get("pool").asString()).isEqualTo("gateway-feed");
        assertThat(feed.get("topic").asString()).isEqualTo("notifications");
        assertThat(feed.get("detail").asString()).contains("meshrpc.amqp.enabled");
    }

    @Test
    void anEventLimitOutside1To200OrNotAnIntegerIsA400ProblemNamingLimit() {
        for (String limit : new String[] {"0", "201", "-1", "abc", "", "2.5", "99999999999"}) {
            JsonNode bad = json(http.get().uri("/api/v1/dashboard/events?limit={limit}", limit).exchange()
                    .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));
            assertThat(bad.get("title").asString()).as(limit).isEqualTo("Invalid request");
            assertThat(bad.get("field").asString()).as(limit).isEqualTo("limit");
            assertThat(bad.get("detail").asString()).as(limit)
                    .isEqualTo("limit must be an integer from 1 to 200, was '" + limit + "'");
            assertThat(bad.get("errors").get(0).get("field").asString()).isEqualTo("limit");
        }
        for (String limit : new String[] {"1", "200"}) {
            http.get().uri("/api/v1/dashboard/events?limit=" + limit).exchange().expectStatus().isOk();
        }
    }

    @Test
    void thePageAndItsChartLibraryAreServedFromTheJar() {
        http.get().uri("/dashboard").exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", ".*/dashboard/$");
        String page = http.get().uri("/dashboard/").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("migration dashboard", "/webjars/chart.js/4.5.1/dist/chart.umd.min.js",
                "dashboard.js", "<h2>Events</h2>").doesNotContain("https://");
        String chartJs = http.get().uri("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(chartJs).contains("Chart");
        http.get().uri("/dashboard/dashboard.js").exchange().expectStatus().isOk();
        http.get().uri("/dashboard/dashboard.css").exchange().expectStatus().isOk();
    }
}
