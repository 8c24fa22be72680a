package io.meshrpc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.RpcClient;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;

/**
 * {@code zmq-first-outage}: casts flow over ZeroMQ under {@code zmq-first}; after a fifth of the run
 * the receiver freezes (its endpoint now leads to a socket that never ACKs, like a stuck process)
 * while it keeps consuming from the broker. Reported: the throughput from the freeze to the end,
 * and in the notes how long until the first cast was handled through the broker. The promise under
 * test: the outage costs one ACK timeout, not one per message, so throughput during it stays close
 * to the plain broker path's ({@code rabbitmq-cast} / {@code qpid-cast} in the same run).
 */
final class OutageScenario implements Scenario {

    private final String payload = "x".repeat(RawCastScenario.PAYLOAD_BYTES);
    private final List<String> notes = new ArrayList<>();
    private BrokerUnderTest broker;
    private MeshPair mesh;
    private ZContext frozenContext;
    private String frozenEndpoint;

    @Override
    public String name() {
        return "zmq-first-outage";
    }

    @Override
    public void open() {
        broker = BrokerUnderTest.startAny();
        mesh = MeshPair.startWithBroker(broker, DeliveryPolicy.ZMQ_FIRST);
        frozenContext = new ZContext(1);
        ZMQ.Socket frozen = frozenContext.createSocket(SocketType.ROUTER);
        frozenEndpoint = "tcp://127.0.0.1:" + frozen.bindToRandomPort("tcp://127.0.0.1");
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws InterruptedException {
        String server = mesh.server().nodeId();
        Set<String> topics = Set.of(BenchEndpoint.TOPIC);
        mesh.matchmaker().register(new NodeRef(server, mesh.server().endpoint()), topics);
        mesh.client().routing().markPeerUp(server);

        RpcClient rpc = mesh.rpc();
        Semaphore window = new Semaphore(MeshCastScenario.WINDOW);
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong cutAt = new AtomicLong();
        long start = System.nanoTime();
        long cut = start + duration.toNanos() / 5;
        long deadline = start + duration.toNanos();
        long ackedAtCut = -1;
        double brokerBase = 0;
        Thread watcher = null;
        AtomicLong firstViaBroker = new AtomicLong();
        while (System.nanoTime() < deadline) {
            if (ackedAtCut < 0 && System.nanoTime() >= cut) {
                brokerBase = handledViaBroker();
                mesh.matchmaker().register(new NodeRef(server, frozenEndpoint), topics);
                cutAt.set(System.nanoTime());
                ackedAtCut = acked.sum();
                watcher = watchFirstBrokerDelivery(brokerBase, firstViaBroker);
            }
            window.acquire();
            long sentAt = System.nanoTime();
            boolean measured = ackedAtCut >= 0;
            rpc.cast(MeshPair.TARGET, "consume", payload).whenComplete((ok, error) -> {
                if (error == null) {
                    if (measured) {
                        latencies.record(System.nanoTime() - sentAt);
                    }
                    acked.increment();
                } else {
                    failed.increment();
                    firstError.compareAndSet(null, MeshPair.rootCause(error));
                }
                window.release();
            });
        }
        window.tryAcquire(MeshCastScenario.WINDOW, 30, TimeUnit.SECONDS);
        window.release(MeshCastScenario.WINDOW);
        long end = System.nanoTime();
        if (watcher != null) {
            watcher.interrupt();
            watcher.join(1_000);
        }
        long first = firstViaBroker.get();
        notes.clear();
        notes.add(String.format(Locale.ROOT, "receiver frozen after %.1f s; first cast handled through the %s %s; "
                + "%d ZeroMQ sends got no ACK in the whole run (warm-up included); %d casts ACKed during the outage",
                (cutAt.get() - start) / 1e9, broker.kind().label,
                first == 0 ? "never" : String.format(Locale.ROOT, "%.0f ms after the freeze", (first - cutAt.get()) / 1e6),
                (long) mesh.client().metrics().count(RpcMetrics.SENT, "transport", "zmq", "outcome", "no-ack"),
                acked.sum() - ackedAtCut));
        return new RunStats(acked.sum() - Math.max(0, ackedAtCut), failed.sum(), end - cutAt.get(), firstError.get());
    }

    private double handledViaBroker() {
        return mesh.server().metrics().count(RpcMetrics.RECEIVED, "transport", "amqp", "outcome", "handled");
    }

    private Thread watchFirstBrokerDelivery(double base, AtomicLong firstAt) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (handledViaBroker() > base) {
                    firstAt.set(System.nanoTime());
                    return;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException ex) {
                    return;
                }
            }
        }, "outage-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public List<String> verify() {
        return List.copyOf(notes);
    }

    @Override
    public OptionalLong brokerProcess() {
        return broker == null ? OptionalLong.empty() : broker.process();
    }

    @Override
    public void close() {
        if (mesh != null) {
            mesh.close();
        } else if (broker != null) {
            broker.close();
        }
        if (frozenContext != null) {
            frozenContext.close();
        }
    }
}
