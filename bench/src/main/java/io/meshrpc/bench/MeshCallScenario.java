package io.meshrpc.bench;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;

import io.meshrpc.api.RpcClient;

/**
 * {@code zmq-call}: meshrpc's call between two nodes, set against {@code raw-zmq-echo}. A 100-byte
 * string goes to {@link BenchEndpoint#echo} and comes back, strictly one call at a time; latency
 * is the round trip as the caller sees it (the future's completion).
 */
final class MeshCallScenario implements Scenario {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final String payload = "x".repeat(RawEchoScenario.PAYLOAD_BYTES);
    private final String name;
    private final java.util.function.Supplier<MeshPair> pairs;
    private MeshPair mesh;

    /** {@code zmq-call}: two nodes over ZeroMQ. */
    MeshCallScenario() {
        this("zmq-call", MeshPair::start);
    }

    /** The same measurement over another pair of nodes, e.g. through a broker ({@code rabbitmq-call}). */
    MeshCallScenario(String name, java.util.function.Supplier<MeshPair> pairs) {
        this.name = name;
        this.pairs = pairs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void open() {
        mesh = pairs.get();
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) {
        RpcClient rpc = mesh.rpc();
        long completed = 0;
        long failed = 0;
        String firstError = null;
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long now = start;
        while (now < deadline) {
            long sentAt = System.nanoTime();
            try {
                String echo = rpc.call(MeshPair.TARGET, "echo", payload, String.class, CALL_TIMEOUT).join();
                now = System.nanoTime();
                if (echo.length() != payload.length()) {
                    throw new IllegalStateException("echo returned " + echo.length() + " characters");
                }
                latencies.record(now - sentAt);
                completed++;
            } catch (CompletionException | IllegalStateException ex) {
                now = System.nanoTime();
                failed++;
                firstError = firstError == null ? MeshPair.rootCause(ex) : firstError;
            }
        }
        return new RunStats(completed, failed, now - start, firstError);
    }

    @Override
    public OptionalLong brokerProcess() {
        return mesh == null ? OptionalLong.empty() : mesh.brokerProcess();
    }

    @Override
    public void close() {
        if (mesh != null) {
            mesh.close();
        }
    }
}
