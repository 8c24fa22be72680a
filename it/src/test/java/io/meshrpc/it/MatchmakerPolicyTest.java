package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's lever of the migration: a delivery policy set through the matchmaker's API changes
 * the path a node's messages take, within one refresh interval, as the meters show.
 */
class MatchmakerPolicyTest {

    private static final Duration REFRESH = Duration.ofMillis(200);
    private static final String TOKEN = "s3cret";

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void policySetThroughTheMatchmakerApiMovesATopicBetweenTransportsAndHeartbeatsReportTheShares() throws Exception {
        EmbeddedQpidBroker broker = EmbeddedQpidBroker.start();
        open.add(broker);
        ConfigurableApplicationContext service = new SpringApplicationBuilder(MatchmakerApplication.class)
                
                // command-line arguments: they win over the service's own application.properties
                .run("--server.port=0", "--meshrpc.enabled=false", "--spring.main.banner-mode=off", "--meshrpc.matchmaker.token=" + TOKEN);
        open.add(service::close);
        String url = "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
        node("sched-1", url, broker, new Echo());
        MeshNode caller = node("api-1", url, broker);
        Awaitility.await().until(() -> callOnce(caller));

        put(url + "/api/v1/policies/topics/echo", "{\"policy\":\"amqp\"}");
        Awaitility.await().atMost(REFRESH.multipliedBy(20)).until(() -> {
            double before = caller.metrics().count(RpcMetrics.SENT, "transport", "amqp", "kind", "CALL");
            callOnce(caller);
            return caller.metrics().count(RpcMetrics.SENT, "transport", "amqp", "kind", "CALL") > before;
        });
        double zmqBefore = caller.metrics().count(RpcMetrics.SENT, "transport", "zmq", "kind", "CALL");
        for (int i = 0; i < 10; i++) {
            assertThat(callOnce(caller)).isTrue();
        }
        assertThat(caller.metrics().count(RpcMetrics.SENT, "transport", "zmq", "kind", "CALL")).isEqualTo(zmqBefore);

        JsonMapper json = JsonMapper.builder().build();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var view = json.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url + "/api/v1/nodes/sched-1")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(view.path("transports").toString()).contains("zmq", "amqp");
            assertThat(view.path("stats").path("received").path("amqp").asLong()).isGreaterThanOrEqualTo(10);
            assertThat(view.path("stats").path("received").path("zmq").asLong()).isPositive();
        });
    }

    private MeshNode node(String id, String url, EmbeddedQpidBroker broker, Object... endpoints) {
        RestMatchmaker mm = new RestMatchmaker(url, TOKEN, REFRESH, Duration.ofSeconds(3), JsonMapper.builder().build());
        open.add(mm);
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", broker.port());
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(mm).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0))
                .amqp(connections, AmqpSettings.defaults(""))
                .routing(RoutingSettings.of(DeliveryPolicy.ZMQ_FIRST))
                .build().start();
        open.add(node::stop);
        return node;
    }

    private static boolean callOnce(MeshNode caller) throws Exception {
        return "echo:x".equals(caller.client().call(Target.topic("echo"), "echo", "x", String.class,
                Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS));
    }

    private static void put(String url, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @RpcEndpoint(topic = "echo")
    static final class Echo {
        public String echo(String text) {
            return "echo:" + text;
        }
    }
}
