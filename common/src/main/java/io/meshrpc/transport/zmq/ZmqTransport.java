package io.meshrpc.transport.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.transport.CallbackBatcher;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.Route;
import io.meshrpc.transport.SendListener;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EnvelopeCodec;

/**
 * The brokerless transport: one ROUTER that receives, one DEALER per peer that sends, all run by a
 * single I/O thread (JeroMQ sockets are not thread safe: another thread may use one only while it
 * has it to itself).
 *
 * <p>Other threads touch a socket only while they hold {@link #sockets}, which the I/O thread holds
 * for the whole of each round and lets go only while it waits for input. As a rule {@link #send}
 * puts a command on a lock-free queue and wakes the I/O thread through a pipe, only if it waits
 * (or is about to: {@link #mayWait}) and at most once per wait. A CALL, and a worker's reply, are
 * sent at once by their own thread when the I/O thread waits and nothing is queued before them: a
 * call then crosses two threads fewer (decision 81); under load the lock is busy and they are
 * queued and batched like the rest.
 *
 * <p>The I/O thread moves bytes, reads envelopes to decide on an ACK, tracks ACK deadlines, and
 * completes the futures of ACKs and replies itself: the fastest path to a waiting caller. The
 * futures handed to applications run their dependents elsewhere
 * ({@link io.meshrpc.internal.client.RpcFuture}), so application code never runs here.
 *
 * <p>Every accepted CAST or CALL is acknowledged at once (in batch frames a CALL's ACK may wait a
 * millisecond for its reply, {@link ZmqReceiver}); a sender that gets no ACK within the
 * ACK timeout fails every message still un-ACKed on that connection and reconnects, so an outage
 * costs one timeout, not one per message.
 */
public final class ZmqTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(ZmqTransport.class);
    private static final long TIMER_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Sockets a node holds besides its DEALERs (ROUTER, ZAP handler), with room to spare. */
    private static final int OWN_SOCKETS = 16;

    private final String nodeId;
    private final ZmqSettings settings;
    private final EnvelopeCodec codec;
    private final RpcMetrics metrics;
    private final CallbackBatcher callbacks;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** {@link #mayWait} made once, not a method reference per round of the I/O thread. */
    private final java.util.function.BooleanSupplier mayWait = this::mayWait;
    /** Held by whichever thread uses the sockets and the I/O thread's state: see the class comment. */
    private final ReentrantLock sockets = new ReentrantLock();
    private final ByteBuffer drainBuffer = ByteBuffer.allocate(64);

    private volatile boolean running;
    private volatile String endpoint;

    // Owned by the I/O thread once started.
    private ZContext context;
    private ZMQ.Socket router;
    private ZmqSelector selector;
    private ZmqSelector.Key routerKey;
    private Pipe wakeup;
    private ZmqReceiver receiver;
    private ZmqSender sender;
    private ZapHandler zap;
    private volatile IncomingConnections incoming;
    private Thread ioThread;
    private long lastTimerCheck;

    public ZmqTransport(String nodeId, ZmqSettings settings, EnvelopeCodec codec, RpcMetrics metrics,
                        CallbackBatcher callbacks) {
        this.nodeId = nodeId;
        this.settings = settings;
        this.codec = codec;
        this.metrics = metrics;
        this.callbacks = callbacks;
    }

    /**
     * Binds the ROUTER and starts the I/O thread. Returns once the port is bound, so the endpoint
     * can be registered with the matchmaker straight away.
     */
    @Override
    public TransportName name() {
        return TransportName.ZMQ;
    }

    /** Binds and starts; receives every topic sent to it ({@code topics} is for broker queues). */
    @Override
    public synchronized void start(Inbound inbound, Set<String> topics) {
        if (running) {
            return;
        }
        PatchedJeroMqCheck.problem(ZmqTransport.class.getClassLoader())
                .ifPresent(problem -> log.warn("Node {}: {}", nodeId, problem));
        metrics.gauge(RpcMetrics.PEERS_CONNECTED, "ZeroMQ peer connections held by this node",
                () -> sender == null ? 0 : sender.connected());
        metrics.gauge(RpcMetrics.ZMQ_CONNECTIONS_INCOMING, "Incoming ZeroMQ connections open at this node's receiver",
                () -> incoming == null ? 0 : incoming.open());
        context = new ZContext(1);
        context.getContext().setMaxSockets(maxSockets(settings));
        if (settings.curve() != null) {
            zap = new ZapHandler(context, settings.curve(), metrics);
        }
        router = context.createSocket(SocketType.ROUTER);
        router.setLinger(200);
        router.setRouterMandatory(true);
        router.setSndHWM(100_000);
        router.setRcvHWM(100_000);
        ZmqSockets.applyLimits(router, settings, codec.maxMessageBytes());
        incoming = IncomingConnections.bound(nodeId, router, settings.incoming(), metrics, settings.curve() != null);
        if (settings.curve() != null) {
            router.setCurveServer(true);
            router.setCurveSecretKey(settings.curve().keys().secretKeyBytes());
        }
        int port = bind();
        endpoint = "tcp://" + settings.advertiseHost() + ":" + port;
        try {
            wakeup = Pipe.open();
            wakeup.source().configureBlocking(false);
        } catch (IOException ex) {
            context.close();
            throw new UncheckedIOException("Cannot create the I/O thread's wake-up pipe", ex);
        }
        receiver = new ZmqReceiver(nodeId, router, codec, inbound.requests(), this::replyNow, settings.frameFormat());
        selector = new ZmqSelector();
        sender = new ZmqSender(settings, context, selector, codec, inbound);
        routerKey = selector.register(router, receiver::read);
        selector.register(wakeup.source(), this::drainWakeups);
        if (zap != null) {
            selector.register(zap.socket(), () -> {
                zap.handle();
                return false;
            });
        }
        running = true;
        ioThread = new Thread(this::runLoop, "meshrpc-zmq-io-" + nodeId);
        ioThread.setDaemon(true);
        ioThread.start();
        log.info("Node {} receiving on {} (bound {}:{})", nodeId, endpoint, settings.bindHost(), port);
    }

    /**
     * JeroMQ's limit of sockets per context (1,024 by default) would stop a node at max-peers 1,024
     * before its own limit did. Room for max-peers DEALERs, as many again that are closed but not yet
     * reaped (JeroMQ frees a slot only then), and the node's own sockets: ROUTER, ZAP handler. The limit is also a brake: when the waves of a wide fanout close sockets
     * faster than JeroMQ's reaper finishes them, the next connections wait for it (the sender retries
     * every timer round) instead of piling up the file descriptors of sockets still closing.
     */
    private static int maxSockets(ZmqSettings settings) {
        return 2 * settings.maxPeers() + OWN_SOCKETS;
    }

    private int bind() {
        String host = settings.bindHost();
        if (settings.port() == 0) {
            return router.bindToRandomPort("tcp://" + host, 49152, 65535);
        }
        if (!router.bind("tcp://" + host + ":" + settings.port())) {
            throw new IllegalStateException("Cannot bind meshrpc.zmq.port " + settings.port());
        }
        return settings.port();
    }

    /**
     * One outgoing connection as the I/O thread saw it: the messages on it still waiting for an
     * ACK, the calls whose reply is still due on it, and when its last ACK arrived (epoch
     * milliseconds, null if none yet), and the frame format it sends in (1: one JSON envelope per
     * message; 2: batch frames, once the receiver answered in them).
     */
    public record PeerSnapshot(String nodeId, String endpoint, int pending, int awaitingReplies, Long lastAckMillis,
                               int frameFormat) {
    }

    /**
     * The outgoing connections held now, copied by the I/O thread between two polls (nothing is
     * read across threads and the I/O thread never waits for the caller). Completes with an empty
     * list when the transport is not running.
     */
    public CompletableFuture<List<PeerSnapshot>> peers() {
        CompletableFuture<List<PeerSnapshot>> snapshot = new CompletableFuture<>();
        if (!running) {
            snapshot.complete(List.of());
            return snapshot;
        }
        submit(() -> snapshot.complete(running ? sender.snapshot() : List.of()));
        return snapshot;
    }

    /**
     * The most outgoing connections (DEALER sockets) this node held at once since it started: never
     * more than {@code meshrpc.zmq.max-peers}, even while sends wait for a connection. Read from any
     * thread; benchmarks and tests sample it.
     */
    public int peersHighWaterMark() {
        return sender == null ? 0 : sender.connectedHighWater();
    }

    /** This receiver's CURVE public key, or null without CURVE. */
    public String publicKey() {
        return settings.curve() == null ? null : settings.curve().keys().publicKey();
    }

    /** The endpoint other nodes connect to, {@code tcp://host:port}; null before start. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Sends an encoded CAST or CALL to one node's receiver ({@link Route.ToNode} with an endpoint:
     * this transport has no queues). The future completes when the receiver acknowledged it, or
     * fails with a {@link NoRouteException} saying why not. When every connection is busy and the
     * node has none, the send first waits for one to be freed ({@code NO_FREE_CONNECTION} if none is
     * within the ACK timeout); its own ACK timeout starts when it is sent. A CALL keeps its
     * connection open until its reply is due.
     */
    @Override
    public CompletableFuture<Void> send(Route route, OutboundMessage message) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        send(route, message, SendListener.completing(acked));
        return acked;
    }

    /** As {@link #send(Route, OutboundMessage)}, telling {@code acked} instead of a future. */
    @Override
    public void send(Route route, OutboundMessage message, SendListener acked) {
        if (!(route instanceof Route.ToNode toNode) || !toNode.node().hasZmqEndpoint()) {
            acked.sent(new IllegalArgumentException("ZeroMQ reaches a node at its endpoint only, not " + route));
            return;
        }
        if (!running) {
            acked.sent(unavailable());
            return;
        }
        NodeRef peer = toNode.node();
        if (!sender.batches(peer.endpoint())) {
            // A connection in format 1 sends JSON: made here, on the caller's thread, not by the I/O
            // thread, which every message of the node passes through.
            message.envelope().json();
        }
        if (message.replyDeadline() > 0 && sendNow(peer, message, acked)) {
            return;
        }
        submit(() -> {
            if (running) {
                sender.send(peer.nodeId(), peer.endpoint(), peer.publicKey(), message.envelope(),
                        message.replyDeadline(), acked);
            } else {
                acked.sent(unavailable());
            }
        });
    }

    /**
     * Sends a CALL on the calling thread when the I/O thread waits for input, nothing is queued for it
     * (so a thread's messages keep their order) and the peer has a connection already.
     *
     * @return false when the message is to be queued instead
     */
    private boolean sendNow(NodeRef peer, OutboundMessage message, SendListener acked) {
        if (!lockIfIdle()) {
            return false;
        }
        try {
            if (!sender.sendNow(peer, message.envelope(), message.replyDeadline(), acked)) {
                return false;
            }
            wakeIfInputLeft();
            return true;
        } finally {
            sockets.unlock();
        }
    }

    /**
     * Runs a worker's reply on the worker's thread when the I/O thread waits for input and nothing is
     * queued for it; queues it otherwise.
     */
    private void replyNow(Runnable reply) {
        if (!lockIfIdle()) {
            submit(reply);
            return;
        }
        try {
            runCommand(reply);
            receiver.flush();
            // The send may have taken the signal of requests that arrived meanwhile.
            selector.mark(routerKey);
            wakeIfInputLeft();
        } finally {
            sockets.unlock();
        }
    }

    /**
     * Takes the sockets' lock when the I/O thread waits for input (the lock is free) and nothing is queued
     * for it, so that what this thread sends now cannot overtake what it queued before.
     *
     * @return true holding the lock, which the caller releases; false without it
     */
    private boolean lockIfIdle() {
        if (!sockets.tryLock()) {
            return false;
        }
        if (running && commands.isEmpty()) {
            return true;
        }
        sockets.unlock();
        return false;
    }

    /** After sockets were used on another thread: the I/O thread reads what that left for it. */
    private void wakeIfInputLeft() {
        if (selector.settleMarked()) {
            selector.wakeup();
        }
    }

    private void submit(Runnable command) {
        commands.offer(command);
        if (!wakeupPending.getAndSet(true)) {
            try {
                wakeup.sink().write(ByteBuffer.wrap(ZmqFrames.ACK, 0, 1));
            } catch (IOException ex) {
                // Closed while stopping: the command is failed by the shutdown sweep.
                log.debug("Wake-up of the I/O thread failed: {}", ex.toString());
            }
        }
    }

    /** Nothing to stop: the dispatcher refuses what arrives while the node drains, and senders move on. */
    @Override
    public void stopReceiving() {
    }

    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            thread = ioThread;
        }
        submit(() -> { });
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the I/O thread

    private void runLoop() {
        callbacks.open();
        sockets.lock();
        try {
            while (running) {
                selector.poll(pollTimeoutMillis(), sockets, mayWait);
                // Awake until the next wait: what other threads queue meanwhile is run this round or
                // the next without a wake-up byte (mayWait clears this before the thread waits).
                wakeupPending.set(true);
                if (runCommands()) {
                    // Replies went out on the ROUTER, which may have taken the signal of new input.
                    selector.mark(routerKey);
                }
                long now = System.nanoTime();
                if (now - lastTimerCheck >= TIMER_RESOLUTION_NANOS) {
                    lastTimerCheck = now;
                    sender.expireAcks(now);
                    sender.closeIdle(now);
                    // After the two above: the connections they closed go to waiting sends first.
                    sender.serveWaiting(now);
                }
                // Everything queued this round goes out now, one frame per connection where batching.
                sender.flush();
                receiver.flush();
                selector.settleMarked();
                callbacks.flush();
            }
            runCommands();
        } catch (IOException | RuntimeException | Error ex) {
            log.error("ZeroMQ I/O thread of node {} failed; the transport is stopped", nodeId, ex);
            running = false;
        } finally {
            shutdownSockets();
            sockets.unlock();
            callbacks.close();
        }
    }

    /**
     * Shortest while ACKs wait for their calls' replies; short while ACKs or connections are awaited
     * (their timeouts are checked between polls); long otherwise.
     */
    private long pollTimeoutMillis() {
        if (receiver.holding()) {
            return 1;
        }
        return sender.busy() ? 5 : 100;
    }

    /**
     * Called just before the I/O thread would wait for input: from now on a command queued by
     * another thread writes a wake-up byte, and a command queued before (while the thread was awake,
     * without a byte) means it must not wait at all. A worker's reply that finds the I/O thread
     * still in the round that handed the worker its call (the common case) is then picked up
     * without a write to the pipe, nor a read from it.
     */
    private boolean mayWait() {
        wakeupPending.set(false);
        return commands.isEmpty();
    }

    /** Empties the wake-up pipe; its bytes only end the poll. Never asks to be read again. */
    private boolean drainWakeups() {
        try {
            // One read usually empties the pipe (wake-ups are coalesced); read again only if full.
            while (wakeup.source().read(drainBuffer.clear()) == drainBuffer.capacity()) {
                // discard
            }
        } catch (IOException ex) {
            log.debug("Draining the wake-up pipe failed: {}", ex.toString());
        }
        return false;
    }

    /** Runs what other threads handed over; one failing command never stops the loop. */
    private boolean runCommands() {
        Runnable command;
        boolean ran = false;
        while ((command = commands.poll()) != null) {
            ran = true;
            runCommand(command);
        }
        return ran;
    }

    private void runCommand(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException ex) {
            log.error("A ZeroMQ command on node {} failed; the transport carries on", nodeId, ex);
        }
    }

    private NoRouteException unavailable() {
        return new NoRouteException(NoRouteException.Reason.TRANSPORT_UNAVAILABLE,
                "The ZeroMQ transport of node " + nodeId + " is stopped");
    }

    private void shutdownSockets() {
        running = false;
        sender.failAll(unavailable());
        Runnable command;
        while ((command = commands.poll()) != null) {
            try {
                command.run();
            } catch (RuntimeException ex) {
                log.debug("Command after stop failed: {}", ex.toString());
            }
        }
        try {
            selector.close();
            wakeup.source().close();
            wakeup.sink().close();
        } catch (IOException ex) {
            log.debug("Closing the wake-up pipe failed: {}", ex.toString());
        }
        context.close();
    }
}
