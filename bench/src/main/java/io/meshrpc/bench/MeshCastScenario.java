package io.meshrpc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.meshrpc.api.RpcClient;

/**
 * {@code zmq-cast}: meshrpc's cast between two nodes, set against {@code raw-zmq-cast}. A 200-byte
 * string goes to {@link BenchEndpoint#consume}, with 1,000 casts un-ACKed at most (a semaphore
 * released when each future completes); throughput counts ACKed casts, latency is send to ACK.
 *
 * <p>An ACK means "queued for dispatch", so the endpoint's own count is checked afterwards: a cast
 * ACKed but never handled would make the throughput a lie.
 */
final class MeshCastScenario implements Scenario {

    static final int WINDOW = RawCastScenario.WINDOW;
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(30);
    private static final Duration HANDLED_WAIT = Duration.ofSeconds(10);

    private final String payload = "x".repeat(RawCastScenario.PAYLOAD_BYTES);
    private final LongAdder totalAcked = new LongAdder();
    private final String name;
    private final java.util.function.Supplier<MeshPair> pairs;
    private MeshPair mesh;

    /** {@code zmq-cast}: two nodes over ZeroMQ. */
    MeshCastScenario() {
        this("zmq-cast", MeshPair::start);
    }

    /** The same measurement over another pair of nodes, e.g. through a broker ({@code rabbitmq-cast}). */
    MeshCastScenario(String name, java.util.function.Supplier<MeshPair> pairs) {
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
    public RunStats run(Duration duration, LatencyRecorder latencies) throws InterruptedException {
        RpcClient rpc = mesh.rpc();
        Semaphore window = new Semaphore(WINDOW);
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        while (System.nanoTime() < deadline) {
            window.acquire();
            long sentAt = System.nanoTime();
            rpc.cast(MeshPair.TARGET, "consume", payload).whenComplete((ok, error) -> {
                if (error == null) {
                    latencies.record(System.nanoTime() - sentAt);
                    acked.increment();
                } else {
                    failed.increment();
                    firstError.compareAndSet(null, MeshPair.rootCause(error));
                }
                window.release();
            });
        }
        if (!window.tryAcquire(WINDOW, DRAIN_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("Casts still un-ACKed " + DRAIN_WAIT.toSeconds() + " s after sending");
        }
        long elapsed = System.nanoTime() - start;
        totalAcked.add(acked.sum());
        return new RunStats(acked.sum(), failed.sum(), elapsed, firstError.get());
    }

    /** ACKed casts the endpoint has not handled yet (queued for a worker, or in the broker) are handled now. */
    @Override
    public void settle() throws InterruptedException {
        long waitUntil = System.nanoTime() + HANDLED_WAIT.toNanos();
        while (mesh.endpoint().handled() < totalAcked.sum() && System.nanoTime() < waitUntil) {
            Thread.sleep(10);
        }
    }

    /** Every ACKed cast (warm-up included) must reach the endpoint; handling follows the ACK shortly. */
    @Override
    public List<String> verify() throws InterruptedException {
        settle();
        long expected = totalAcked.sum();
        long handled = mesh.endpoint().handled();
        List<String> warnings = new ArrayList<>();
        if (handled < expected) {
            warnings.add("the endpoint handled " + handled + " of " + expected + " ACKed casts within "
                    + HANDLED_WAIT.toSeconds() + " s");
        }
        return warnings;
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
