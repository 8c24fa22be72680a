package zmq.io.mechanism.curve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/**
 * CURVE end to end with the replaced Curve on both sides: a DEALER with the server's public key
 * talks to a ROUTER that is a CURVE server, over TCP; with the wrong server key the handshake fails
 * and nothing gets through.
 */
class CurveSocketsTest {

    private static final int TIMEOUT_MS = 10_000;

    private final ZContext context = new ZContext();
    private final Curve curve = new Curve();
    private final byte[][] serverKeys = curve.keypair();
    private final byte[][] clientKeys = curve.keypair();

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void messagesOfEverySizeGoBothWaysEncrypted() {
        ZMQ.Socket server = server();
        ZMQ.Socket client = client(serverKeys[0], server);
        Random random = new Random(7);
        List<byte[]> sent = new ArrayList<>();
        for (int length : new int[] {0, 1, 31, 32, 33, 200, 1000, 65536}) {
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            sent.add(payload);
        }

        for (byte[] payload : sent) {
            assertThat(client.sendMore("part")).isTrue();
            assertThat(client.send(payload)).isTrue();
        }
        for (byte[] payload : sent) {
            byte[] identity = server.recv();
            assertThat(identity).as("a message arrived in time").isNotNull();
            assertThat(server.hasReceiveMore()).isTrue();
            assertThat(server.recvStr()).isEqualTo("part");
            assertThat(server.hasReceiveMore()).isTrue();
            byte[] received = server.recv();
            assertThat(received).isEqualTo(payload);
            assertThat(server.hasReceiveMore()).isFalse();
            // echo it back
            server.sendMore(identity);
            server.send(received);
        }
        for (byte[] payload : sent) {
            assertThat(client.recv()).isEqualTo(payload);
        }
    }

    @Test
    void aClientWithTheWrongServerKeyFailsTheHandshake() throws Exception {
        ZMQ.Socket server = server();
        CompletableFuture<ZEvent> failure = new CompletableFuture<>();
        server.setEventHook(failure::complete, ZMQ.HANDSHAKE_FAILED_PROTOCOL);
        byte[] wrongServerKey = curve.keypair()[0];
        ZMQ.Socket client = client(wrongServerKey, server);

        assertThat(client.send("secret")).isTrue();

        ZEvent event = failure.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(event.getEvent()).isEqualTo(ZMonitor.Event.HANDSHAKE_FAILED_PROTOCOL);
        assertThat((Object) event.getValue()).isEqualTo(ZMonitor.ProtocolCode.ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
        assertThat(server.recv(ZMQ.DONTWAIT)).as("nothing got through").isNull();
    }

    private ZMQ.Socket server() {
        ZMQ.Socket server = context.createSocket(SocketType.ROUTER);
        server.setLinger(0);
        server.setReceiveTimeOut(TIMEOUT_MS);
        assertThat(server.setCurveServer(true)).isTrue();
        assertThat(server.setCurveSecretKey(serverKeys[1])).isTrue();
        assertThat(server.bind("tcp://127.0.0.1:*")).isTrue();
        return server;
    }

    private ZMQ.Socket client(byte[] serverKey, ZMQ.Socket server) {
        ZMQ.Socket client = context.createSocket(SocketType.DEALER);
        client.setLinger(0);
        client.setReceiveTimeOut(TIMEOUT_MS);
        assertThat(client.setCurvePublicKey(clientKeys[0])).isTrue();
        assertThat(client.setCurveSecretKey(clientKeys[1])).isTrue();
        assertThat(client.setCurveServerKey(serverKey)).isTrue();
        assertThat(client.connect(server.getLastEndpoint())).isTrue();
        return client;
    }
}
