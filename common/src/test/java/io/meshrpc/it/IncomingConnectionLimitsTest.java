package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.IncomingLimits;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * A receiver bounds its incoming connections: raw TCP clients that send garbage, or nothing, or
 * come past {@code max-connections}, are closed by the node and counted in
 * {@value RpcMetrics#ZMQ_CONNECTIONS_CLOSED}, while a real node calling meanwhile is answered.
 */
class IncomingConnectionLimitsTest {

    private static final int CONNECTIONS = 1_000;
    /** Bounds every wait; the waits themselves are polls that end as soon as the condition holds. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final TestCluster cluster = new TestCluster();
    private final List<SocketChannel> raw = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel channel : raw) {
            channel.close();
        }
        cluster.close();
    }

    private MeshNode server(IncomingLimits limits) {
        return cluster.start(MeshNode.builder().nodeId("compute-1").endpoints(new Compute("compute-1"))
                .zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT).withIncoming(limits)));
    }

    /**
     * A well-behaved client: a real node. Its connection may queue behind a thousand others in the
     * server's accept backlog (JeroMQ accepts one per poll), and this machine is shared: its ACK
     * timeout leaves room for that, as what is shown is that it is served, not how fast.
     */
    private MeshNode client() {
        return cluster.start(MeshNode.builder().nodeId("api")
                .zmq(ZmqSettings.loopback(0).withAckTimeout(Duration.ofSeconds(20))));
    }

    /** The client calls the server over ZeroMQ. */
    private CompletableFuture<String> call(MeshNode client) {
        return client.client().invoke(Target.topic("compute").server("compute-1"), "host", String.class,
                Duration.ofSeconds(30));
    }

    private List<SocketChannel> open(MeshNode server, int count) throws IOException {
        URI endpoint = URI.create(server.endpoint());
        InetSocketAddress address = new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
        List<SocketChannel> opened = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(address);
            raw.add(channel);
            opened.add(channel);
        }
        return opened;
    }

    private static double closed(MeshNode node, String reason) {
        return node.metrics().count(RpcMetrics.ZMQ_CONNECTIONS_CLOSED, "reason", reason);
    }

    private static double incoming(MeshNode node) {
        return node.metrics().registry().get(RpcMetrics.ZMQ_CONNECTIONS_INCOMING).gauge().value();
    }

    @Test
    void garbageConnectionsAreClosedAndCountedWhileAWellBehavedClientIsServed() throws Exception {
        MeshNode server = server(IncomingLimits.defaults());
        MeshNode client = client();
        List<SocketChannel> garbage = open(server, CONNECTIONS);
        Random random = new Random(14);
        for (SocketChannel channel : garbage) {
            byte[] bytes = new byte[256];
            random.nextBytes(bytes);
            channel.write(ByteBuffer.wrap(bytes));
        }

        String answer = call(client).get(60, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo("compute-1");
        awaitClosedByThePeer(garbage);
        assertThat(closed(server, "handshake-failed")).isEqualTo(CONNECTIONS);
        assertThat(closed(server, "handshake-timeout")).isZero();
        assertThat(closed(server, "over-limit")).isZero();
    }

    @Test
    void silentConnectionsAreClosedAfterTheHandshakeTimeoutAndCountedWhileAWellBehavedClientIsServed()
            throws Exception {
        MeshNode server = server(IncomingLimits.of(null, Duration.ofSeconds(2)));
        MeshNode client = client();
        List<SocketChannel> silent = open(server, CONNECTIONS);

        String answer = call(client).get(60, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo("compute-1");
        awaitClosedByThePeer(silent);
        assertThat(closed(server, "handshake-timeout")).isEqualTo(CONNECTIONS);
        assertThat(closed(server, "handshake-failed")).isZero();
    }

    @Test
    void aZmtp3GreetingWithoutTheRestOfTheHandshakeIsClosedAfterTheHandshakeTimeout() throws Exception {
        MeshNode server = server(IncomingLimits.of(null, Duration.ofMillis(500)));
        SocketChannel greeter = open(server, 1).get(0);
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xff;
        greeting[9] = 0x7f;
        greeting[10] = 3;
        System.arraycopy("NULL".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, greeting, 12, 4);
        greeter.write(ByteBuffer.wrap(greeting));

        awaitClosedByThePeer(List.of(greeter));
        assertThat(closed(server, "handshake-timeout")).isEqualTo(1);
    }

    @Test
    void aZmtp1PeerIsRefusedAtItsFirstFrame() throws Exception {
        MeshNode server = server(IncomingLimits.defaults());
        SocketChannel legacy = open(server, 1).get(0);
        // ZMTP/1.0: an empty identity frame (length 1, flags 0), then a one-frame message.
        legacy.write(ByteBuffer.wrap(new byte[] {1, 0, 3, 0, 'h', 'i'}));

        awaitClosedByThePeer(List.of(legacy));
        assertThat(closed(server, "handshake-failed")).isEqualTo(1);
    }

    @Test
    void connectionsPastMaxConnectionsAreClosedAtOnceAndCountedAndAWellBehavedPeerIsServedOnceOthersGo()
            throws Exception {
        int max = 50;
        MeshNode server = server(IncomingLimits.of(max, Duration.ofMinutes(5)));
        List<SocketChannel> holders = open(server, max);
        Awaitility.await().atMost(PATIENCE).until(() -> incoming(server) == max);

        List<SocketChannel> beyond = open(server, 20);

        awaitClosedByThePeer(beyond);
        assertThat(closed(server, "over-limit")).isEqualTo(20);
        assertThat(incoming(server)).isEqualTo(max);

        for (SocketChannel holder : holders) {
            holder.close();
        }
        Awaitility.await().atMost(PATIENCE).until(() -> incoming(server) == 0);
        MeshNode client = client();

        assertThat(call(client).get(60, TimeUnit.SECONDS)).isEqualTo("compute-1");
        assertThat(closed(server, "over-limit")).isEqualTo(20);
        assertThat(closed(server, "handshake-failed") + closed(server, "handshake-timeout")).isZero();
    }

    /**
     * Waits until the node has closed every one of {@code channels}: each read reaches the end of the
     * stream or a reset. What the node sent before closing (its part of a greeting) is read and dropped.
     */
    private static void awaitClosedByThePeer(List<SocketChannel> channels) throws IOException {
        try (Selector selector = Selector.open()) {
            for (SocketChannel channel : channels) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            ByteBuffer sink = ByteBuffer.allocate(4096);
            int[] open = {channels.size()};
            Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        selector.selectNow();
                        for (SelectionKey key : selector.selectedKeys()) {
                            if (closedByThePeer((SocketChannel) key.channel(), sink)) {
                                key.cancel();
                                open[0]--;
                            }
                        }
                        selector.selectedKeys().clear();
                        return open[0] == 0;
                    });
        }
    }

    private static boolean closedByThePeer(SocketChannel channel, ByteBuffer sink) {
        try {
            int n;
            do {
                n = channel.read(sink.clear());
            } while (n > 0);
            return n < 0;
        } catch (IOException reset) {
            return true;
        }
    }
}
