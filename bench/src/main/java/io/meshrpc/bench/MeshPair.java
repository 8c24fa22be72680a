package io.meshrpc.bench;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Two meshrpc nodes in this JVM, a client and a server with a {@link BenchEndpoint}, found through
 * an in-memory matchmaker.
 *
 * <p>Each node is built as a service builds it: its own ZeroMQ context and I/O thread, a meter
 * registry (so the metrics' cost is included), default worker and callback pools, loopback
 * settings. Only the process boundary is missing, which spares the benchmark a second JVM and
 * keeps it to what meshrpc adds over JeroMQ, since the raw scenarios share the JVM too.
 */
final class MeshPair implements AutoCloseable {

    static final Target TARGET = Target.topic(BenchEndpoint.TOPIC);
    private static final int CONNECT_ATTEMPTS = 10;

    private final MeshNode server;
    private final MeshNode client;
    private final BenchEndpoint endpoint;

    private MeshPair(MeshNode server, MeshNode client, BenchEndpoint endpoint) {
        this.server = server;
        this.client = client;
        this.endpoint = endpoint;
    }

    /** Starts both nodes and returns once a first call made the round trip. */
    static MeshPair start() {
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        BenchEndpoint endpoint = new BenchEndpoint();
        MeshNode server = node("bench-server", matchmaker).endpoints(endpoint).build().start();
        MeshNode client = node("bench-client", matchmaker).build().start();
        MeshPair pair = new MeshPair(server, client, endpoint);
        pair.awaitFirstCall();
        return pair;
    }

    private static MeshNode.Builder node(String id, InMemoryMatchmaker matchmaker) {
        return MeshNode.builder().nodeId(id).matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .meterRegistry(new SimpleMeterRegistry());
    }

    /** A first connect between separate contexts can stall; meshrpc retries it, we wait for that. */
    private void awaitFirstCall() {
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            try {
                client.client().call(TARGET, "echo", "ping", String.class, Duration.ofSeconds(2))
                        .get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception ex) {
                Progress.say("meshrpc: first call failed (attempt %d): %s", attempt, rootCause(ex));
            }
        }
        throw new IllegalStateException("The meshrpc client node cannot reach the server node");
    }

    RpcClient rpc() {
        return client.client();
    }

    BenchEndpoint endpoint() {
        return endpoint;
    }

    static String rootCause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    @Override
    public void close() {
        client.stop();
        server.stop();
    }
}
