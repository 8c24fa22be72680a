package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.CurveKeys;
import io.meshrpc.transport.zmq.CurveSettings;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * CURVE against a libzmq peer (pyzmq, Debian's {@code python3-zmq}): a client on the allow-list
 * gets its cast ACKed and handled; one with an unknown key gets nothing. Skipped, with the reason,
 * where Python or pyzmq is missing.
 */
class LibzmqCurveInteropTest {

    private static final String CLIENT = String.join("\n",
            "import sys, zmq",
            "endpoint, server_key, public, secret = sys.argv[1:5]",
            "s = zmq.Context().socket(zmq.DEALER)",
            "s.curve_serverkey = server_key.encode(); s.curve_publickey = public.encode(); s.curve_secretkey = secret.encode()",
            "s.setsockopt(zmq.LINGER, 0); s.setsockopt(zmq.RCVTIMEO, 3000)",
            "s.connect(endpoint)",
            "s.send(b'{\"v\":1,\"id\":\"py-1\",\"kind\":\"CAST\",\"topic\":\"compute\",\"method\":\"buildInstance\",\"args\":[\"vm-py\"]}')",
            "try:",
            "    print(s.recv().decode())",
            "except zmq.Again:",
            "    print('NOTHING')");

    private final TestCluster cluster = new TestCluster();
    private final CurveKeys serverKeys = CurveKeys.generate();
    private final CurveKeys clientKeys = CurveKeys.generate();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void libzmqClientOnTheAllowListIsAckedAndOneWithAnUnknownKeyGetsNothing() throws Exception {
        String python = pythonWithPyzmq();
        Assumptions.assumeTrue(python != null, "no python3 with pyzmq and CURVE (tried " + PYTHONS
                + "; Debian: apt-get install python3-zmq)");
        Endpoints.Compute compute = new Endpoints.Compute("compute-1");
        MeshNode server = cluster.start(MeshNode.builder().nodeId("compute-1").endpoints(compute)
                .zmq(ZmqSettings.loopback(0).withCurve(new CurveSettings(serverKeys, Set.of(clientKeys.publicKey()), false))));

        String allowed = runClient(python, server.endpoint(), clientKeys);
        CurveKeys stranger = CurveKeys.generate();
        String refused = runClient(python, server.endpoint(), stranger);

        assertThat(allowed).isEqualTo("ACK");
        Awaitility.await().untilAsserted(() -> assertThat(compute.total).hasValue(1));
        assertThat(refused).isEqualTo("NOTHING");
        assertThat(server.metrics().count(RpcMetrics.AUTH_REJECTED, "reason", "unknown-key")).isPositive();
        assertThat(compute.total).hasValue(1);
    }

    private String runClient(String python, String endpoint, CurveKeys keys) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, "-c", CLIENT, endpoint, serverKeys.publicKey(), keys.publicKey(),
                keys.secretKey()).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("python client finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String[] lines = out.split("\n");
        return lines[lines.length - 1].trim();
    }

    /**
     * The first interpreter that imports pyzmq with CURVE: the one on the PATH, then Debian's own
     * (where {@code python3-zmq} installs, which a pyenv or venv python3 on the PATH does not see).
     */
    private static String pythonWithPyzmq() {
        for (String python : PYTHONS) {
            if (hasPyzmq(python)) {
                return python;
            }
        }
        return null;
    }

    private static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");

    private static boolean hasPyzmq(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import zmq; assert zmq.has('curve')")
                    .redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
