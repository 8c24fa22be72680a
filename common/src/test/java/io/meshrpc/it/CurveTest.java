package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.CurveKeys;
import io.meshrpc.transport.zmq.CurveSettings;
import io.meshrpc.transport.zmq.ZmqSettings;

/** CURVE between real nodes: who gets through, who does not, and what the node counts. */
class CurveTest {

    private final TestCluster cluster = new TestCluster();
    private final CurveKeys serverKeys = CurveKeys.generate();
    private final CurveKeys clientKeys = CurveKeys.generate();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private MeshNode node(String id, CurveKeys keys, Set<String> allowed, Object... endpoints) {
        return cluster.start(MeshNode.builder().nodeId(id).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT)
                        .withCurve(new CurveSettings(keys, allowed, false))));
    }

    private MeshNode server(Endpoints.Compute compute) {
        return node("compute-1", serverKeys, Set.of(clientKeys.publicKey()), compute);
    }

    @Test
    void clientOnTheAllowListCallsAndItsMessagesAreHandled() throws Exception {
        Endpoints.Compute compute = new Endpoints.Compute("compute-1");
        server(compute);
        MeshNode client = node("api", clientKeys, Set.of(serverKeys.publicKey()));

        String viaInvoke = client.client().<String>invoke(Target.topic("compute").server("compute-1"), "host",
                String.class, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

        assertThat(viaInvoke).isEqualTo("compute-1");
        assertThat(cluster.matchmaker.node("compute-1").orElseThrow().publicKey()).isEqualTo(serverKeys.publicKey());
    }

    @Test
    void clientWithAnUnknownKeyGetsNothingHandledAndIsCountedAndLoggedOnce() throws Exception {
        Logger zapLog = (Logger) LoggerFactory.getLogger("io.meshrpc.transport.zmq.ZapHandler");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        zapLog.addAppender(logs);
        try {
            Endpoints.Compute compute = new Endpoints.Compute("compute-1");
            MeshNode server = server(compute);
            MeshNode stranger = node("stranger", CurveKeys.generate(), Set.of(serverKeys.publicKey()));

            for (int i = 0; i < 3; i++) {
                var cast = stranger.client().cast(Target.topic("compute").server("compute-1"), "buildInstance", "vm-" + i);
                assertThatThrownBy(() -> cast.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(NoRouteException.class);
            }

            assertThat(compute.total).hasValue(0);
            assertThat(server.metrics().count(RpcMetrics.AUTH_REJECTED, "reason", "unknown-key")).isGreaterThanOrEqualTo(2);
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
        } finally {
            zapLog.detachAppender(logs);
        }
    }

    @Test
    void plainClientWithoutCurveGetsNothingHandledAndIsCounted() {
        Endpoints.Compute compute = new Endpoints.Compute("compute-1");
        MeshNode server = server(compute);
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket plain = context.createSocket(SocketType.DEALER);
            plain.setReceiveTimeOut(1_500);
            plain.setHandshakeIvl(250);
            plain.connect(server.endpoint());
            plain.send(("{\"v\":1,\"id\":\"plain-1\",\"kind\":\"CAST\",\"topic\":\"compute\",\"method\":\"buildInstance\","
                    + "\"args\":[\"vm-x\"]}").getBytes(StandardCharsets.UTF_8), 0);

            assertThat(plain.recv()).as("no ACK for a client without CURVE").isNull();
            Awaitility.await().untilAsserted(() -> assertThat(
                    server.metrics().count(RpcMetrics.AUTH_REJECTED, "reason", "handshake")).isPositive());
            assertThat(compute.total).hasValue(0);
        }
    }

    @Test
    void receiverWithoutAPublishedKeyIsANoRouteNamingTheMissingKey() {
        MeshNode client = node("api", clientKeys, Set.of(serverKeys.publicKey()));
        cluster.matchmaker.register(new NodeRef("legacy", "tcp://127.0.0.1:1"), Set.of("compute"));

        var cast = client.client().cast(Target.topic("compute").server("legacy"), "buildInstance", "x");

        assertThatThrownBy(() -> cast.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(NoRouteException.class)
                .hasMessageContaining("No CURVE public key known for legacy");
    }

    @Test
    void keyFileRoundTripsAndABadKeyIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.key");
        serverKeys.write(file);

        assertThat(CurveKeys.read(file)).isEqualTo(serverKeys);
        assertThat(serverKeys.toString()).doesNotContain(serverKeys.secretKey());
        assertThatThrownBy(() -> new CurveSettings(serverKeys, Set.of("short"), false))
                .hasMessageContaining("allowed-clients holds a bad key: 'short'");
        assertThatThrownBy(() -> new CurveSettings(serverKeys, Set.of(), false))
                .hasMessageContaining("meshrpc.zmq.curve.allowed-clients");
    }
}
