package io.meshrpc.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * {@code nats-call}: the reference peer for meshrpc's call through a broker, jnats request-reply
 * through the NATS server on {@code 127.0.0.1:4222}. A requester connection sends 100 bytes to a
 * subject that a responder connection's {@link Dispatcher} answers with the same bytes, strictly one
 * request at a time; latency is the round trip, two hops through the server included.
 *
 * <p>Sequential because a call's latency, not a pipeline's throughput, is what the call targets
 * compare; msgs/s is then just the inverse of the mean round trip.
 *
 * <p>The server is the machine's own (CI's too), never started here: where none answers,
 * {@link #open()} fails with a message starting with {@code skipped:}, which the runner shows.
 */
final class NatsCallScenario implements Scenario {

    static final String HOST = "127.0.0.1";
    static final int PORT = 4222;
    private static final Duration REPLY_WAIT = Duration.ofSeconds(5);
    private static final int CONNECT_CHECK_MILLIS = 500;

    private final byte[] payload = new byte[RawEchoScenario.PAYLOAD_BYTES];
    /** Unique to this run, so runs sharing the server never answer each other. */
    private final String subject = "meshrpc-bench." + UUID.randomUUID();
    private Connection responder;
    private Connection requester;

    NatsCallScenario() {
        Arrays.fill(payload, (byte) 'x');
    }

    /** Whether something accepts connections on {@code 127.0.0.1:4222} (a plain TCP connect, 500 ms at most). */
    static boolean serverAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), CONNECT_CHECK_MILLIS);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    @Override
    public String name() {
        return "nats-call";
    }

    @Override
    public void open() throws IOException, InterruptedException {
        if (!serverAnswers()) {
            throw new IllegalStateException("skipped: no NATS server answers on " + HOST + ":" + PORT);
        }
        responder = Nats.connect(options("meshrpc-bench-responder"));
        Connection replies = responder;
        Dispatcher dispatcher = responder.createDispatcher(request -> replies.publish(request.getReplyTo(),
                request.getData()));
        dispatcher.subscribe(subject);
        try {
            // The subscription has reached the server once a PING sent after it is answered.
            responder.flush(REPLY_WAIT);
        } catch (TimeoutException ex) {
            throw new IllegalStateException("NATS server did not confirm the subscription within "
                    + REPLY_WAIT.toSeconds() + " s", ex);
        }
        requester = Nats.connect(options("meshrpc-bench-requester"));
        call();
    }

    private static Options options(String connectionName) {
        return new Options.Builder()
                .server("nats://" + HOST + ":" + PORT)
                .connectionName(connectionName)
                .connectionTimeout(REPLY_WAIT)
                .build();
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws Exception {
        return RoundTrips.sequential(duration, latencies, this::call);
    }

    /** One round trip; throws unless the same number of bytes comes back within {@link #REPLY_WAIT}. */
    private void call() throws InterruptedException {
        Message reply = requester.request(subject, payload, REPLY_WAIT);
        byte[] echo = reply == null ? null : reply.getData();
        if (echo == null || echo.length != RawEchoScenario.PAYLOAD_BYTES) {
            throw new IllegalStateException("No echo of " + RawEchoScenario.PAYLOAD_BYTES + " bytes within "
                    + REPLY_WAIT.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        close(requester);
        close(responder);
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            Progress.say("nats-call: closing a connection failed: %s", ex);
        }
    }
}
