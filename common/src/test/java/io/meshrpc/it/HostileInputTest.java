package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;

/**
 * Frames a broken or hostile peer could send, straight from a raw JeroMQ socket: each is counted
 * as rejected, and the node goes on serving normal traffic.
 */
class HostileInputTest {

    private final TestCluster cluster = new TestCluster();
    private final ZContext rawContext = new ZContext(1);
    private MeshNode target;
    private Compute compute;
    private ZMQ.Socket raw;

    @BeforeEach
    void start() {
        compute = new Compute("compute-1");
        target = cluster.start("compute-1", compute);
        raw = rawContext.createSocket(SocketType.DEALER);
        raw.setReceiveTimeOut(5_000);
        // A connecting JeroMQ socket occasionally stalls its handshake (zeromq/jeromq#1022): retry soon.
        raw.setHandshakeIvl(250);
        raw.setReconnectIVL(100);
        raw.connect(target.endpoint());
    }

    @AfterEach
    void stop() {
        rawContext.close();
        cluster.close();
    }

    private double rejected() {
        return target.metrics().count(RpcMetrics.RECEIVED, "outcome", "rejected");
    }

    private void assertStillServes() throws Exception {
        int before = compute.total.get();
        cluster.start("api-" + System.nanoTime(), new Object[0]).client()
                .cast(Target.topic("compute"), "buildInstance", "after-attack").get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().until(() -> compute.total.get() == before + 1);
    }

    private void sendAndAwaitRejected(double expected, byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            raw.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
        org.awaitility.Awaitility.await().until(() -> rejected() == expected);
    }

    @Test
    void randomBytesAreRejectedAndTheNodeKeepsServing() throws Exception {
        byte[] garbage = new byte[512];
        new Random(42).nextBytes(garbage);
        sendAndAwaitRejected(1, garbage);
        assertStillServes();
    }

    @Test
    void truncatedJsonIsRejectedAndTheNodeKeepsServing() throws Exception {
        sendAndAwaitRejected(1, utf8("{\"v\":1,\"id\":\"x1\",\"kind\":\"CAST\",\"topic\":\"comp"));
        assertStillServes();
    }

    @Test
    void unknownVersionIsRefusedWithAReasonTheSenderCanRead() throws Exception {
        sendAndAwaitRejected(1, utf8("{\"v\":99,\"id\":\"future-1\",\"kind\":\"CAST\",\"topic\":\"compute\","
                + "\"method\":\"buildInstance\",\"args\":[\"vm\"]}"));
        assertThat(raw.recvStr()).isEqualTo("NACK");
        assertThat(raw.recvStr()).isEqualTo("future-1");
        assertThat(raw.recvStr()).contains("meshrpc.BadEnvelope").contains("v=99");
        assertThat(compute.total).hasValue(0);
        assertStillServes();
    }

    @Test
    void oversizedFrameIsRejectedAndTheNodeKeepsServing() throws Exception {
        byte[] big = new byte[(1 << 20) + 1000];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        sendAndAwaitRejected(1, big);
        assertStillServes();
    }

    @Test
    void wrongNumberOfFramesIsRejectedAndTheNodeKeepsServing() throws Exception {
        byte[] envelope = utf8("{\"v\":1,\"id\":\"two-frames\",\"kind\":\"CAST\",\"topic\":\"compute\","
                + "\"method\":\"buildInstance\",\"args\":[\"vm\"]}");
        sendAndAwaitRejected(1, envelope, envelope);
        assertThat(compute.total).hasValue(0);
        assertStillServes();
    }

    @Test
    void replyFramesSentToTheReceiverAreRejected() throws Exception {
        sendAndAwaitRejected(1, utf8("{\"v\":1,\"id\":\"r1\",\"kind\":\"REPLY\",\"correlationId\":\"c\",\"result\":1}"));
        assertStillServes();
    }

    @Test
    void envelopeDeliveredTwiceIsAcknowledgedTwiceAndHandledOnce() throws Exception {
        byte[] envelope = utf8("{\"v\":1,\"id\":\"dup-1\",\"kind\":\"CAST\",\"topic\":\"compute\","
                + "\"method\":\"buildInstance\",\"args\":[\"vm-dup\"]}");
        raw.send(envelope, 0);
        raw.send(envelope, 0);
        List<String> acked = new ArrayList<>();
        while (acked.size() < 2) {
            assertThat(raw.recvStr()).isEqualTo("ACK");
            while (raw.hasReceiveMore()) {
                acked.add(raw.recvStr());
            }
        }
        assertThat(acked).containsExactly("dup-1", "dup-1");
        org.awaitility.Awaitility.await().until(
                () -> target.metrics().count(RpcMetrics.RECEIVED, "outcome", "duplicate") == 1);
        assertStillServes();
        assertThat(compute.handled.get("vm-dup")).hasValue(1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
