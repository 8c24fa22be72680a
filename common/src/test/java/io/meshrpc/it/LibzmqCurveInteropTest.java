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
 * gets its casts ACKed and handled and its call answered, with a long cast and a long reply that
 * each side's CURVE encrypts on the vector lanes where the JVM has them; one with an unknown key gets
 * nothing. Skipped, with the reason,
 * where Python or pyzmq is missing.
 */
class LibzmqCurveInteropTest {

    /** Longer than a step of CURVE's vector lanes (512 bytes), so that both directions go through them. */
    private static final int LONG = 3000;

    // A small cast, then a long one, then a call whose reply is long; prints each ACK and the
    // length of the reply's result, or NOTHING and stops at the first answer that does not come.
    private static final String CLIENT = String.join("\n",
            "import sys, json, time, zmq",
            "endpoint, server_key, public, secret = sys.argv[1:5]",
            "s = zmq.Context().socket(zmq.DEALER)",
            "s.curve_serverkey = server_key.encode(); s.curve_publickey = public.encode(); s.curve_secretkey = secret.encode()",
            "s.setsockopt(zmq.LINGER, 0); s.setsockopt(zmq.RCVTIMEO, 3000)",
            "s.connect(endpoint)",
            "def answer():",
            "    try:",
            "        return s.recv_multipart()",
            "    except zmq.Again:",
            "        print('NOTHING'); sys.exit(0)",
            "s.send(b'{\"v\":1,\"id\":\"py-1\",\"kind\":\"CAST\",\"topic\":\"compute\",\"method\":\"buildInstance\",\"args\":[\"vm-py\"]}')",
            "print(answer()[0].decode())",
            "s.send(json.dumps({'v': 1, 'id': 'py-2', 'kind': 'CAST', 'topic': 'compute', 'method': 'buildInstance',",
            "                   'args': ['vm-' + 'x' * " + LONG + "]}).encode())",
            "print(answer()[0].decode())",
            "s.send(json.dumps({'v': 1, 'id': 'py-3', 'kind': 'CALL', 'topic': 'compute', 'method': 'host', 'args': [],",
            "                   'replyTo': 'py', 'deadline': int(time.time() * 1000) + 60000}).encode())",
            "while True:",
            "    frames = answer()",
            "    if frames[0] == b'REPLY':",
            "        print('REPLY', len(json.loads(frames[1])['result'])); break");

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
        Endpoints.Compute compute = new Endpoints.Compute("compute-" + "n".repeat(LONG));
        MeshNode server = cluster.start(MeshNode.builder().nodeId("compute-1").endpoints(compute)
                .zmq(ZmqSettings.loopback(0).withCurve(new CurveSettings(serverKeys, Set.of(clientKeys.publicKey()), false))));

        List<String> allowed = runClient(python, server.endpoint(), clientKeys);
        CurveKeys stranger = CurveKeys.generate();
        List<String> refused = runClient(python, server.endpoint(), stranger);

        assertThat(allowed).containsExactly("ACK", "ACK", "REPLY " + ("compute-".length() + LONG));
        Awaitility.await().untilAsserted(() -> assertThat(compute.total).hasValue(2));
        assertThat(compute.handled).containsKeys("vm-py", "vm-" + "x".repeat(LONG));
        assertThat(refused).containsExactly("NOTHING");
        assertThat(server.metrics().count(RpcMetrics.AUTH_REJECTED, "reason", "unknown-key")).isPositive();
        assertThat(compute.total).hasValue(2);
    }

    /** The lines the Python client printed. */
    private List<String> runClient(String python, String endpoint, CurveKeys keys) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, "-c", CLIENT, endpoint, serverKeys.publicKey(), keys.publicKey(),
                keys.secretKey()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("python client finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return List.of(out.split("\n"));
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
