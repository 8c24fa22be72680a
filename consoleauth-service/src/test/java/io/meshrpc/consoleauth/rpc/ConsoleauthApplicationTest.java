package io.meshrpc.consoleauth.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.meshrpc.api.RemoteException;
import io.meshrpc.consoleauth.MutableClock;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.meshrpc.web.testing.RawHttp;

/** The whole service, called over the mesh by a separate node, with a clock the test moves. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"meshrpc.node-id=consoleauth-t", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                "consoleauth.token-ttl=2m"})
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleauthApplicationTest {

    private static final ConsoleEndpoint CONSOLE = new ConsoleEndpoint("i-1", "compute-1", "vnc", 5901);

    @TestConfiguration
    static class Setup {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @Autowired
    Matchmaker matchmaker;

    @Autowired
    MutableClock clock;

    @Autowired
    RestTestClient http;

    @LocalServerPort
    int port;

    private MeshNode gateway;
    private ConsoleauthApi consoleauth;

    @BeforeAll
    void startCaller() {
        gateway = MeshNode.builder().nodeId("gateway-t").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .defaultTimeout(Duration.ofSeconds(5)).build().start();
        consoleauth = gateway.client().proxy(ConsoleauthApi.class);
    }

    @AfterAll
    void stopCaller() {
        gateway.stop();
    }

    @Test
    void aTokenAuthorizedOverTheMeshChecksValidUntilTheConfiguredTtl() {
        ConsoleToken token = consoleauth.authorizeConsole(CONSOLE);

        assertThat(consoleauth.checkToken(token.token()).console()).isEqualTo(CONSOLE);
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));

        clock.advance(Duration.ofMinutes(2));
        assertThat(consoleauth.checkToken(token.token()).valid()).isFalse();
    }

    @Test
    void aConsoleWithoutHostOrWithABadPortIsRefusedWithTheField() {
        assertThatThrownBy(() -> consoleauth.authorizeConsole(new ConsoleEndpoint("i-1", null, "vnc", 5900)))
                .isInstanceOfSatisfying(RemoteException.class,
                        e -> assertThat(e.remoteMessage()).isEqualTo("console.host is required"));
        assertThatThrownBy(() -> consoleauth.authorizeConsole(new ConsoleEndpoint("i-1", "c1", "vnc", 70000)))
                .isInstanceOfSatisfying(RemoteException.class,
                        e -> assertThat(e.remoteType()).isEqualTo(IllegalArgumentException.class.getName()));
    }

    @Test
    void aConsoleProxyOfThe1xLineIsServedBesideThe2xOne() throws Exception {
        ConsoleToken token = consoleauth.authorizeConsole(CONSOLE);
        io.meshrpc.api.Target v1 = io.meshrpc.api.Target.topic(ConsoleauthApi.TOPIC).version("1.0");

        Boolean valid = gateway.client().call(v1, ConsoleauthApi.CHECK_TOKEN, token.token(), Boolean.class)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(valid).as("1.0 answers a yes or no").isTrue();
        assertThat(consoleauth.checkToken(token.token()).console()).as("2.0 answers the console").isEqualTo(CONSOLE);
        assertThatThrownBy(() -> gateway.client().call(v1.version("3.0"), ConsoleauthApi.CHECK_TOKEN, token.token(),
                Boolean.class).get(10, java.util.concurrent.TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.remoteMessage())
                        .isEqualTo("Topic 'consoleauth' does not serve the default namespace at version 3.0; "
                                + "it serves version 1.0, version 2.0"));
    }

    @Test
    void healthIsUp() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void anActuatorWriteOfTwentyMegabytesIsRefusedFromItsLengthAsAProblem() throws IOException {
        // only the headers are sent: the answer must come without the body, which a client never has to send
        RawHttp.Answer answer = new RawHttp(port).exchange("POST", "/actuator/meshrpc/policy/topic/compute",
                Map.of("Content-Type", "application/json", "Content-Length", "20971520"), null);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":413");
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }
}
