package io.meshrpc.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.meshrpc.api.Notifier;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.events.CloudEvents;
import io.meshrpc.services.gateway.InstanceEvent;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event feed with a real broker (Apache Qpid Broker-J, in-process): the gateway runs with
 * {@code meshrpc.amqp.enabled=true}, so its listener joins the pool {@code gateway-feed}; a compute
 * node publishes through the same broker as an agent does, and the dashboard's endpoint shows it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=gateway-feed-t", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "meshrpc.amqp.enabled=true", "meshrpc.amqp.prefix=" + EventFeedOverTheBrokerTest.PREFIX,
                "gateway.dashboard.sample-interval=1h"})
@AutoConfigureRestTestClient
@DirtiesContext // the broker stops with this context
class EventFeedOverTheBrokerTest {

    static final String PREFIX = "feed-test.";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static EmbeddedQpidBroker broker;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        if (broker == null) {
            broker = EmbeddedQpidBroker.start();
        }
        registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
        registry.add("spring.rabbitmq.port", () -> broker.port());
        registry.add("spring.rabbitmq.username", () -> EmbeddedQpidBroker.USER);
        registry.add("spring.rabbitmq.password", () -> EmbeddedQpidBroker.PASSWORD);
    }

    @TestConfiguration
    static class Setup {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }

        /** Closes the broker with the context: after the gateway's node stopped (lifecycle stop comes first). */
        @Bean
        BrokerStopper brokerStopper() {
            return new BrokerStopper();
        }
    }

    static final class BrokerStopper implements AutoCloseable {
        @Override
        public void close() {
            if (broker != null) {
                broker.close();
                broker = null;
            }
        }
    }

    @Autowired
    RestTestClient http;

    @Autowired
    Matchmaker matchmaker;

    @Autowired
    EventFeedListener listener;

    private CachingConnectionFactory connections;
    private MeshNode compute;

    @BeforeEach
    void startAComputeNode() {
        connections = new CachingConnectionFactory("127.0.0.1", broker.port());
        connections.setUsername(EmbeddedQpidBroker.USER);
        connections.setPassword(EmbeddedQpidBroker.PASSWORD);
        compute = MeshNode.builder().nodeId("compute-7").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .amqp(connections, AmqpSettings.builder().prefix(PREFIX).build())
                .defaultTimeout(Duration.ofSeconds(5)).build().start();
    }

    @AfterEach
    void stopTheComputeNode() {
        compute.stop();
        connections.destroy();
    }

    private JsonNode events(String query) {
        return JSON.readTree(http.get().uri("/api/v1/dashboard/events" + query).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static JsonNode withId(JsonNode feed, String instanceId, String eventType) {
        for (JsonNode e : feed.get("events")) {
            if (eventType.equals(e.get("eventType").asString())
                    && instanceId.equals(e.get("payload").path("instanceId").asString(""))) {
                return e;
            }
        }
        return null;
    }

    @Test
    void anInstanceCreatedOnAComputeNodeShowsInTheFeedNewestFirst() throws Exception {
        Notifier notifier = compute.notifier();
        Instant before = Instant.now();
        notifier.info(CloudEvents.INSTANCE_CREATE_START, InstanceEvent.of("i-feed-1", "compute-7",
                InstanceStatus.BUILDING)).get(10, TimeUnit.SECONDS);
        Awaitility.await("the start in the feed").atMost(Duration.ofSeconds(20))
                .until(() -> withId(events(""), "i-feed-1", CloudEvents.INSTANCE_CREATE_START) != null);
        notifier.info(CloudEvents.INSTANCE_CREATE_END, InstanceEvent.of("i-feed-1", "compute-7",
                InstanceStatus.ACTIVE)).get(10, TimeUnit.SECONDS);

        Awaitility.await("the end in the feed").atMost(Duration.ofSeconds(20))
                .until(() -> withId(events(""), "i-feed-1", CloudEvents.INSTANCE_CREATE_END) != null);

        JsonNode feed = events("?limit=200");
        assertThat(feed.get("enabled").asBoolean()).isTrue();
        assertThat(feed.get("detail").isNull()).isTrue();
        assertThat(feed.get("pool").asString()).isEqualTo("gateway-feed");
        assertThat(feed.get("received").asLong()).isGreaterThanOrEqualTo(2);
        JsonNode end = feed.get("events").get(0);
        assertThat(end.get("eventType").asString()).isEqualTo("compute.instance.create.end");
        assertThat(end.get("publisherId").asString()).isEqualTo("compute-7");
        assertThat(end.get("priority").asString()).isEqualTo("info");
        assertThat(end.get("id").asString()).isNotBlank();
        assertThat(Instant.parse(end.get("timestamp").asString())).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(end.get("summary").asString()).isEqualTo("instanceId=i-feed-1, host=compute-7, status=ACTIVE");
        assertThat(end.get("payload").get("status").asString()).isEqualTo("ACTIVE");
        assertThat(end.get("payload").get("host").asString()).isEqualTo("compute-7");
        assertThat(feed.get("events").get(1).get("eventType").asString()).isEqualTo("compute.instance.create.start");

        JsonNode newest = events("?limit=1");
        assertThat(newest.get("events").size()).isEqualTo(1);
        assertThat(newest.get("events").get(0).get("id").asString()).isEqualTo(end.get("id").asString());
    }

    @Test
    void theLimitIsStillCheckedWhenTheFeedIsOn() {
        JsonNode bad = JSON.readTree(http.get().uri("/api/v1/dashboard/events?limit=201").exchange()
                .expectStatus().isBadRequest().expectBody(String.class).returnResult().getResponseBody());
        assertThat(bad.get("field").asString()).isEqualTo("limit");
        assertThat(listener).as("the listener bean, with a broker").isNotNull();
    }
}
