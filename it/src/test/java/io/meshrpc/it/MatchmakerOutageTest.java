package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nodes routing through the real matchmaker-service: the service is never a single point of
 * failure for traffic between nodes that already know each other.
 */
class MatchmakerOutageTest {

    private static final Duration REFRESH = Duration.ofMillis(200);
    private static final Duration TTL = Duration.ofSeconds(3);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ConfigurableApplicationContext startMatchmaker(int port) {
        ConfigurableApplicationContext service = new SpringApplicationBuilder(MatchmakerApplication.class)
                
                // command-line arguments: they win over the service's own application.properties
                .run("--server.port=" + port, "--meshrpc.enabled=false", "--spring.main.banner-mode=off", "--meshrpc.matchmaker.sweep-interval=200ms");
        open.add(service::close);
        return service;
    }

    private RestMatchmaker client(int port) {
        RestMatchmaker mm = new RestMatchmaker("http://127.0.0.1:" + port, null, REFRESH, TTL, JsonMapper.builder().build());
        open.add(mm);
        return mm;
    }

    private MeshNode node(String id, RestMatchmaker mm, Object... endpoints) {
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(mm).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0)).build().start();
        open.add(node::stop);
        return node;
    }

    @Test
    void callsBetweenKnownNodesSurviveAMatchmakerOutageAndNewNodesAppearAfterIt() throws Exception {
        ConfigurableApplicationContext service = startMatchmaker(0);
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        node("sched-1", client(port), new Echo("sched-1"));
        RestMatchmaker callerView = client(port);
        MeshNode caller = node("api-1", callerView);
        Awaitility.await().until(() -> !callerView.lookup("echo").isEmpty());

        service.close();
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(caller.client().call(Target.topic("echo"), "echo", "m" + i, String.class, Duration.ofSeconds(10)));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("sched-1:m" + i);
        }
        Awaitility.await().until(() -> callerView.cacheAge().orElseThrow().compareTo(REFRESH.multipliedBy(3)) > 0);
        assertThat(caller.metrics().registry().get(RpcMetrics.MATCHMAKER_CACHE_AGE).timeGauge()
                .value(TimeUnit.MILLISECONDS)).isGreaterThan(REFRESH.toMillis());

        startMatchmaker(port);
        node("sched-2", client(port), new Echo("sched-2"));
        Awaitility.await().atMost(TTL.plus(REFRESH.multipliedBy(10))).until(() -> callerView.lookup("echo").stream()
                .map(NodeRef::nodeId).toList().containsAll(List.of("sched-1", "sched-2")));
        String fromNewNode = caller.client().call(Target.topic("echo").server("sched-2"), "echo", "hi", String.class,
                Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
        assertThat(fromNewNode).isEqualTo("sched-2:hi");
    }

    @RpcEndpoint(topic = "echo")
    static final class Echo {
        private final String name;

        Echo(String name) {
            this.name = name;
        }

        public String echo(String text) {
            return name + ":" + text;
        }
    }
}
