package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.CurveKeys;
import io.meshrpc.transport.zmq.CurveSettings;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * CURVE end to end through the matchmaker: a receiver's public key travels with its registration
 * (which needs the write token), senders learn it from the fleet view and call over an encrypted,
 * authenticated connection; a node with a wrong token never gets into the registry.
 */
class CurveThroughMatchmakerTest {

    private static final String TOKEN = "curve-token";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void receiversKeyTravelsThroughTheTokenProtectedRegistrationAndCallsAreEncrypted() throws Exception {
        ConfigurableApplicationContext service = new SpringApplicationBuilder(MatchmakerApplication.class)
                // command-line arguments: they win over the service's own application.properties
                .run("--server.port=0", "--meshrpc.enabled=false", "--spring.main.banner-mode=off",
                        "--meshrpc.matchmaker.token=" + TOKEN);
        open.add(service::close);
        String url = "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
        CurveKeys serverKeys = CurveKeys.generate();
        CurveKeys clientKeys = CurveKeys.generate();
        node("secure-1", url, TOKEN, serverKeys, clientKeys.publicKey(), new Echo());
        node("intruder-1", url, "wrong-token", CurveKeys.generate(), clientKeys.publicKey(), new Echo());
        MeshNode caller = node("api-1", url, TOKEN, clientKeys, serverKeys.publicKey());

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fleet(url))
                .contains("\"secure-1\"").contains(serverKeys.publicKey()));
        String reply = caller.client().<String>invoke(Target.topic("echo").server("secure-1"), "echo", String.class,
                Duration.ofSeconds(5), "hi").get(10, TimeUnit.SECONDS);

        assertThat(reply).isEqualTo("echo:hi");
        assertThat(fleet(url)).as("a node with a wrong token is not registered").doesNotContain("intruder-1");
    }

    private MeshNode node(String id, String url, String token, CurveKeys keys, String allowedClient, Object... endpoints) {
        RestMatchmaker mm = new RestMatchmaker(url, token, Duration.ofMillis(200), Duration.ofSeconds(3),
                JsonMapper.builder().build());
        open.add(mm);
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(mm).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0).withCurve(new CurveSettings(keys, Set.of(allowedClient), false)))
                .build().start();
        open.add(node::stop);
        return node;
    }

    private static String fleet(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/nodes")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @RpcEndpoint(topic = "echo")
    static final class Echo {
        public String echo(String text) {
            return "echo:" + text;
        }
    }
}
