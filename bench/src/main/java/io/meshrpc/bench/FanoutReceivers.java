package io.meshrpc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.node.MeshNode;
import io.meshrpc.wire.EnvelopeCodec;

/**
 * The receivers of {@code fanout-wide}: bare ROUTERs, each bound to its own loopback port as a node
 * would be, that ACK every envelope as {@code docs/wire-format.md} §4.1 says ({@code [ACK, id]}) and
 * note the first time each of them sees a message.
 *
 * <p>Thousands fit one JVM because they are grouped: each group is one {@link ZContext} with one
 * JeroMQ I/O thread, and one thread that serves all its sockets through one {@link Selector} over
 * their {@code ZMQ_FD} channels, so a round costs the sockets that have input, not all of them. A
 * socket is read until it is empty, and read last (after its ACKs went out), so its channel signals
 * again for the next message. Each socket still costs a few file descriptors (its mailbox's pipe and
 * selector, its listener): {@link FanoutWideScenario} measures them.
 */
final class FanoutReceivers implements AutoCloseable {

    /** One fanout as the receivers see it: how many have not had it yet, and when the last one had. */
    static final class Round {
        private final AtomicInteger missing;
        private volatile long allReachedAtNanos;

        private Round(int receivers) {
            missing = new AtomicInteger(receivers);
        }

        private void reached() {
            if (missing.decrementAndGet() == 0) {
                allReachedAtNanos = System.nanoTime();
            }
        }

        int missing() {
            return missing.get();
        }

        /** {@code System.nanoTime()} when the last receiver had the message, 0 until then. */
        long allReachedAtNanos() {
            return allReachedAtNanos;
        }
    }

    private static final long SELECT_MILLIS = 100;

    private final List<Group> groups = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private volatile Round round = new Round(0);

    /** Binds {@code count} receivers spread over {@code groupCount} contexts and starts serving them. */
    FanoutReceivers(int count, int groupCount) {
        int perGroup = (count + groupCount - 1) / groupCount;
        for (int first = 0; first < count; first += perGroup) {
            Group group = new Group(groups.size(), Math.min(perGroup, count - first));
            groups.add(group);
            endpoints.addAll(group.endpoints);
        }
        groups.forEach(Group::start);
    }

    List<String> endpoints() {
        return endpoints;
    }

    /** Starts counting a new fanout: each receiver counts once, at the first new message id it sees. */
    Round newRound() {
        round = new Round(endpoints.size());
        return round;
    }

    /** Messages a receiver got again with an id it had already seen. */
    int duplicates() {
        return duplicates.get();
    }

    @Override
    public void close() {
        groups.forEach(Group::close);
    }

    /** Sockets in one context, served by one thread. */
    private final class Group {

        private final ZContext context = new ZContext(1);
        private final EnvelopeCodec codec = new EnvelopeCodec(MeshNode.defaultMapper(), 1 << 20);
        private final List<ZMQ.Socket> routers = new ArrayList<>();
        private final List<String> endpoints = new ArrayList<>();
        private final String[] lastIds;
        private final Selector selector;
        private final Thread thread;
        private volatile boolean running = true;

        Group(int index, int size) {
            // Default is 1,024 sockets per context; a group holds its own and nothing else.
            context.getContext().setMaxSockets(size + 8);
            lastIds = new String[size];
            try {
                selector = Selector.open();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            for (int i = 0; i < size; i++) {
                ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
                router.setLinger(0);
                endpoints.add("tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1", 20_000, 65_000));
                routers.add(router);
            }
            thread = new Thread(this::serve, "fanout-receivers-" + index);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void serve() {
            try {
                for (int i = 0; i < routers.size(); i++) {
                    routers.get(i).getFD().register(selector, SelectionKey.OP_READ, i);
                    drain(i); // anything that came before the registration
                }
                while (running) {
                    selector.select(SELECT_MILLIS);
                    for (SelectionKey key : selector.selectedKeys()) {
                        drain((Integer) key.attachment());
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | RuntimeException ex) {
                Progress.say("fanout-wide: a receiver group stopped: %s", ex);
            }
        }

        private void drain(int receiver) {
            ZMQ.Socket router = routers.get(receiver);
            byte[] identity;
            while ((identity = router.recv(ZMQ.DONTWAIT)) != null) {
                String id = codec.decode(router.recv(0)).id();
                if (id.equals(lastIds[receiver])) {
                    duplicates.incrementAndGet();
                } else {
                    lastIds[receiver] = id;
                    round.reached(); // before the ACK, so an ACKed fanout is counted
                }
                router.send(identity, ZMQ.SNDMORE);
                router.send("ACK", ZMQ.SNDMORE);
                router.send(id, 0);
            }
        }

        void close() {
            running = false;
            selector.wakeup();
            try {
                thread.join(2_000);
                selector.close();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (IOException ex) {
                Progress.say("fanout-wide: closing a selector failed: %s", ex);
            }
            context.close();
        }
    }
}
