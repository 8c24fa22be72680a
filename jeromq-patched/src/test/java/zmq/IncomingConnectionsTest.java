package zmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What meshrpc changes in how a JeroMQ listening socket treats incoming connections: a cap on the
 * open ones, a handshake timer that lasts until the mechanism is ready, and an event for every
 * connection that ends before its handshake completed.
 */
class IncomingConnectionsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Ctx ctx = new Ctx();
    private final ConcurrentLinkedQueue<ZMQ.Event> events = new ConcurrentLinkedQueue<>();
    private final List<SocketChannel> clients = new ArrayList<>();
    private SocketBase router;
    private int port;

    @BeforeEach
    void bind() {
        router = ctx.createSocket(ZMQ.ZMQ_ROUTER);
        router.setSocketOpt(ZMQ.ZMQ_LINGER, 0);
        router.setEventHook(events::add, ZMQ.ZMQ_EVENT_ACCEPTED | ZMQ.ZMQ_EVENT_ACCEPT_FAILED
                | ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ.ZMQ_EVENT_DISCONNECTED);
    }

    private void listen() {
        assertThat(router.bind("tcp://127.0.0.1:*")).isTrue();
        String endpoint = (String) router.getSocketOptx(ZMQ.ZMQ_LAST_ENDPOINT);
        port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    @AfterEach
    void close() throws IOException {
        for (SocketChannel client : clients) {
            client.close();
        }
        router.close();
        ctx.terminate();
    }

    private SocketChannel connect() throws IOException {
        SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        clients.add(client);
        return client;
    }

    private long count(int type, int value) {
        return events.stream().filter(e -> e.event == type && (value < 0 || e.arg.equals(value))).count();
    }

    /** Reads until the peer closes; true once it has (a bounded poll, never a sleep). */
    private static boolean closedByPeer(SocketChannel client) {
        try {
            client.configureBlocking(false);
            ByteBuffer sink = ByteBuffer.allocate(256);
            int n;
            while ((n = client.read(sink.clear())) > 0) {
                // the node's greeting; keep reading
            }
            return n < 0;
        }
        catch (IOException reset) {
            return true;
        }
    }

    @Test
    void connectionsPastTheCapAreClosedAtOnceAndReported() throws IOException {
        assertThat(router.setSocketOpt(Options.MAX_CONNECTIONS, 2)).isTrue();
        assertThat(router.getSocketOptx(Options.MAX_CONNECTIONS)).isEqualTo(2);
        listen();
        SocketChannel first = connect();
        SocketChannel second = connect();
        await().atMost(PATIENCE).until(() -> count(ZMQ.ZMQ_EVENT_ACCEPTED, -1) == 2);

        SocketChannel third = connect();

        await().atMost(PATIENCE).until(() -> closedByPeer(third));
        assertThat(count(ZMQ.ZMQ_EVENT_ACCEPT_FAILED, ZError.ECONNREFUSED)).isEqualTo(1);

        // One goes, and its place is free again.
        first.close();
        await().atMost(PATIENCE).until(() -> count(ZMQ.ZMQ_EVENT_DISCONNECTED, -1) == 1);
        SocketChannel fourth = connect();
        await().atMost(PATIENCE).until(() -> count(ZMQ.ZMQ_EVENT_ACCEPTED, -1) == 3);
        assertThat(closedByPeer(fourth)).isFalse();
        assertThat(closedByPeer(second)).isFalse();
        assertThat(count(ZMQ.ZMQ_EVENT_ACCEPT_FAILED, -1)).isEqualTo(1);
    }

    @Test
    void withoutTheOptionEveryConnectionIsAccepted() throws IOException {
        listen();
        for (int i = 0; i < 5; i++) {
            connect();
        }
        await().atMost(PATIENCE).until(() -> count(ZMQ.ZMQ_EVENT_ACCEPTED, -1) == 5);
        assertThat(count(ZMQ.ZMQ_EVENT_ACCEPT_FAILED, -1)).isZero();
    }

    @Test
    void aZmtp3GreetingWithoutAHandshakeIsEndedByTheHandshakeTimer() throws IOException {
        router.setSocketOpt(ZMQ.ZMQ_HANDSHAKE_IVL, 300);
        listen();
        SocketChannel client = connect();
        client.write(ByteBuffer.wrap(nullGreeting()));

        await().atMost(PATIENCE).until(() -> closedByPeer(client));
        assertThat(count(ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ZError.ETIMEDOUT)).isEqualTo(1);
    }

    @Test
    void aPeerThatSendsNoZmtpGreetingIsReportedAsAProtocolFailure() throws IOException {
        // A ZAP domain refuses ZMTP 1.0 and 2.0 peers; bytes that are no greeting read as ZMTP 1.0.
        router.setSocketOpt(ZMQ.ZMQ_ZAP_DOMAIN, "test");
        listen();
        SocketChannel client = connect();
        client.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(ZMQ.CHARSET)));

        await().atMost(PATIENCE).until(() -> closedByPeer(client));
        assertThat(count(ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ZError.EPROTO)).isEqualTo(1);
    }

    @Test
    void aCompletedHandshakeIsNotReportedAsFailedWhenTheConnectionEnds() {
        router.setSocketOpt(ZMQ.ZMQ_HANDSHAKE_IVL, 300);
        listen();
        SocketBase dealer = ctx.createSocket(ZMQ.ZMQ_DEALER);
        dealer.setSocketOpt(ZMQ.ZMQ_LINGER, 0);
        dealer.connect("tcp://127.0.0.1:" + port);
        assertThat(dealer.send(new Msg("hello".getBytes(ZMQ.CHARSET)), 0)).isTrue();
        Msg identity = router.recv(0);
        assertThat(identity).isNotNull();
        assertThat(new String(router.recv(0).data(), ZMQ.CHARSET)).isEqualTo("hello");

        dealer.close();

        await().atMost(PATIENCE).until(() -> count(ZMQ.ZMQ_EVENT_DISCONNECTED, -1) == 1);
        assertThat(count(ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, -1)).isZero();
    }

    /** A ZMTP 3.0 greeting for the NULL mechanism, as a server that is not one (RFC 23). */
    private static byte[] nullGreeting() {
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xff;
        greeting[9] = 0x7f;
        greeting[10] = 3;
        greeting[11] = 0;
        byte[] mechanism = "NULL".getBytes(ZMQ.CHARSET);
        System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
        return greeting;
    }
}
