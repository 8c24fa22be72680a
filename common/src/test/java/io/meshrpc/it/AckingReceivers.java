package io.meshrpc.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.node.MeshNode;
import io.meshrpc.wire.EnvelopeCodec;

/**
 * Many bare receivers for a real sender to fan out to: ROUTER sockets in one {@link ZContext},
 * served by one thread, each acknowledging every envelope as {@code docs/wire-format.md} §4.1 says
 * ({@code [ACK, id]}) and counting what it got. A full node each would cost a context, a port and
 * a worker pool per receiver; this costs a socket. They never reply to a CALL, so a call to one holds
 * the caller's connection until its deadline.
 *
 * <p>{@link #silent} receivers are bound and complete the ZeroMQ handshake (JeroMQ's I/O thread does
 * that) but never read: to the sender, a node that stopped answering.
 */
final class AckingReceivers implements AutoCloseable {

    private static final long POLL_MILLIS = 50;

    private final ZContext context = new ZContext(1);
    private final EnvelopeCodec codec = new EnvelopeCodec(MeshNode.defaultMapper(), 1 << 20);
    private final List<ZMQ.Socket> routers = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();
    private final AtomicIntegerArray received;
    private final CountDownLatch allReached;
    private final Thread thread;
    private volatile boolean running = true;

    private AckingReceivers(int count, boolean acking) {
        received = new AtomicIntegerArray(count);
        allReached = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setLinger(0);
            endpoints.add("tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1"));
            routers.add(router);
        }
        thread = new Thread(this::serve, "acking-receivers");
        thread.setDaemon(true);
        if (acking) {
            thread.start();
        }
    }

    /** {@code count} receivers that ACK every envelope. */
    static AckingReceivers acking(int count) {
        return new AckingReceivers(count, true);
    }

    /** {@code count} receivers that take connections and never answer. */
    static AckingReceivers silent(int count) {
        return new AckingReceivers(count, false);
    }

    String endpoint(int receiver) {
        return endpoints.get(receiver);
    }

    /** Envelopes receiver {@code receiver} got, duplicates included. */
    int received(int receiver) {
        return received.get(receiver);
    }

    /** Waits until every receiver got at least one envelope. */
    boolean awaitAllReached(long timeout, TimeUnit unit) throws InterruptedException {
        return allReached.await(timeout, unit);
    }

    private void serve() {
        ZMQ.Poller poller = context.createPoller(routers.size());
        routers.forEach(router -> poller.register(router, ZMQ.Poller.POLLIN));
        while (running) {
            if (poller.poll(POLL_MILLIS) <= 0) {
                continue;
            }
            for (int i = 0; i < routers.size(); i++) {
                if (poller.pollin(i)) {
                    drain(i);
                }
            }
        }
        poller.close();
    }

    private void drain(int receiver) {
        ZMQ.Socket router = routers.get(receiver);
        byte[] identity;
        while ((identity = router.recv(ZMQ.DONTWAIT)) != null) {
            byte[] frame = router.recv(0);
            String id = codec.decode(frame).id();
            // Counted before the ACK goes out: once the sender has its ACK, the count shows it.
            if (received.incrementAndGet(receiver) == 1) {
                allReached.countDown();
            }
            router.send(identity, ZMQ.SNDMORE);
            router.send("ACK", ZMQ.SNDMORE);
            router.send(id, 0);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
