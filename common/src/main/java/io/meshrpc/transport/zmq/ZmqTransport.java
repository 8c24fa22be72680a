package io.meshrpc.transport.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.metrics.SentOutcome;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.CallbackBatcher;
import io.meshrpc.transport.InboundHandler;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;

/**
 * The brokerless transport: one ROUTER that receives, one DEALER per peer that sends, all owned by
 * a single I/O thread (JeroMQ sockets are not thread safe).
 *
 * <p>Other threads never touch a socket: {@link #send} puts a command on a lock-free queue and
 * wakes the I/O thread through a pipe, at most once per batch. The I/O thread moves bytes, reads
 * envelopes to decide on an ACK, tracks ACK deadlines, and completes the futures of ACKs and
 * replies itself: the fastest path to a waiting caller. The futures handed to applications run
 * their dependents elsewhere ({@link io.meshrpc.client.RpcFuture}), so application code never runs
 * here.
 *
 * <p>Every accepted CAST or CALL is acknowledged at once; a sender that gets no ACK within the
 * ACK timeout fails every message still un-ACKed on that connection and reconnects, so an outage
 * costs one timeout, not one per message.
 */
public final class ZmqTransport implements AutoCloseable {

    /** The {@code transport} tag and name of this transport. */
    public static final String NAME = "zmq";

    private static final Logger log = LoggerFactory.getLogger(ZmqTransport.class);
    private static final long TIMER_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MAX_READS_PER_SOCKET = 256;

    private final String nodeId;
    private final ZmqSettings settings;
    private final EnvelopeCodec codec;
    private final RpcMetrics metrics;
    private final CallbackBatcher callbacks;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ByteBuffer drainBuffer = ByteBuffer.allocate(64);

    private volatile boolean running;
    private volatile int connectedPeers;
    private volatile String endpoint;

    // Owned by the I/O thread once started.
    private final LinkedHashMap<String, ZmqPeer> peers = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<ZMQ.Socket, ZmqPeer> peersBySocket = new IdentityHashMap<>();
    private ZContext context;
    private ZMQ.Socket router;
    private ZMQ.Poller poller;
    private Pipe wakeup;
    private InboundHandler handler;
    private final List<byte[]> ackIds = new ArrayList<>();
    private byte[] ackIdentity;
    private Thread ioThread;
    private long lastTimerCheck;


    public ZmqTransport(String nodeId, ZmqSettings settings, EnvelopeCodec codec, RpcMetrics metrics,
                        CallbackBatcher callbacks) {
        this.nodeId = nodeId;
        this.settings = settings;
        this.codec = codec;
        this.metrics = metrics;
        this.callbacks = callbacks;
        metrics.gauge(RpcMetrics.PEERS_CONNECTED, "ZeroMQ peer connections held by this node",
                () -> connectedPeers);
    }

    /**
     * Binds the ROUTER and starts the I/O thread. Returns once the port is bound, so the endpoint
     * can be registered with the matchmaker straight away.
     */
    public synchronized void start(InboundHandler inbound) {
        if (running) {
            return;
        }
        this.handler = inbound;
        context = new ZContext(1);
        router = context.createSocket(SocketType.ROUTER);
        router.setLinger(200);
        router.setRouterMandatory(true);
        router.setSndHWM(100_000);
        router.setRcvHWM(100_000);
        // Frames a little over the limit are read and counted as rejected; far larger ones make
        // JeroMQ drop the connection before buffering them.
        router.setMaxMsgSize(2L * settings.maxMessageBytes() + 4096);
        applyHeartbeats(router);
        int port = bind();
        endpoint = "tcp://" + settings.advertiseHost() + ":" + port;
        try {
            wakeup = Pipe.open();
            wakeup.source().configureBlocking(false);
        } catch (IOException ex) {
            context.close();
            throw new UncheckedIOException("Cannot create the I/O thread's wake-up pipe", ex);
        }
        poller = context.createPoller(8);
        poller.register(router, ZMQ.Poller.POLLIN);
        poller.register(wakeup.source(), ZMQ.Poller.POLLIN);
        running = true;
        ioThread = new Thread(this::runLoop, "meshrpc-zmq-io-" + nodeId);
        ioThread.setDaemon(true);
        ioThread.start();
        log.info("Node {} receiving on {} (bound {}:{})", nodeId, endpoint, settings.bindHost(), port);
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

    private void applyHeartbeats(ZMQ.Socket socket) {
        socket.setHeartbeatIvl((int) settings.heartbeatInterval().toMillis());
        socket.setHeartbeatTimeout((int) settings.heartbeatTimeout().toMillis());
        socket.setHeartbeatTtl((int) settings.heartbeatTimeout().toMillis());
    }

    /** The endpoint other nodes connect to, {@code tcp://host:port}; null before start. */
    public String endpoint() {
        return endpoint;
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Sends an encoded CAST or CALL to the node at {@code peerEndpoint}. The future completes when
     * the receiver acknowledged it, or fails with a {@link NoRouteException} saying why not.
     *
     * @param replyDeadlineMillis for a CALL, when its reply is due (keeps the connection open until
     *                            then); 0 for a CAST
     */
    public CompletableFuture<Void> send(String peerNodeId, String peerEndpoint, String id, byte[] frame,
                                        long replyDeadlineMillis) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        if (!running) {
            acked.completeExceptionally(unavailable());
            return acked;
        }
        submit(() -> doSend(peerNodeId, peerEndpoint, id, frame, replyDeadlineMillis, acked));
        return acked;
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
        try {
            while (running) {
                poller.poll(pollTimeoutMillis());
                handleReadable();
                wakeupPending.set(false);
                runCommands();
                long now = System.nanoTime();
                if (now - lastTimerCheck >= TIMER_RESOLUTION_NANOS) {
                    lastTimerCheck = now;
                    expireAcks(now);
                    closeIdlePeers(now);
                }
                callbacks.flush();
            }
            runCommands();
        } catch (RuntimeException | Error ex) {
            log.error("ZeroMQ I/O thread of node {} failed; the transport is stopped", nodeId, ex);
            running = false;
        } finally {
            shutdownSockets();
            callbacks.close();
        }
    }

    private long pollTimeoutMillis() {
        for (ZmqPeer peer : peers.values()) {
            if (!peer.pending.isEmpty()) {
                return 5;
            }
        }
        return 100;
    }

    private void handleReadable() {
        for (int i = 0, n = poller.getNext(); i < n; i++) {
            if (!poller.pollin(i)) {
                continue;
            }
            ZMQ.Socket socket = poller.getSocket(i);
            if (socket == null) {
                drainWakeups();
            } else if (socket == router) {
                readRouter();
            } else {
                ZmqPeer peer = peersBySocket.get(socket);
                if (peer != null) {
                    readDealer(peer);
                }
            }
        }
    }

    private void drainWakeups() {
        try {
            // One read usually empties the pipe (wake-ups are coalesced); read again only if full.
            while (wakeup.source().read(drainBuffer.clear()) == drainBuffer.capacity()) {
                // discard: the wake-up only ends the poll
            }
        } catch (IOException ex) {
            log.debug("Draining the wake-up pipe failed: {}", ex.toString());
        }
    }

    private void runCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
    }

    // ---------------------------------------------------------------- receiving (ROUTER)

    private void readRouter() {
        for (int n = 0; n < MAX_READS_PER_SOCKET; n++) {
            byte[] identity = router.recv(ZMQ.DONTWAIT);
            if (identity == null) {
                break;
            }
            byte[] frame = null;
            int frames = 1;
            while (router.hasReceiveMore()) {
                byte[] part = router.recv(0);
                frames++;
                if (frames == 2) {
                    frame = part;
                }
            }
            if (frames != 2) {
                handler.rejected(NAME, "expected 1 frame after the identity, got " + (frames - 1));
                continue;
            }
            onRequestFrame(identity, frame);
        }
        flushAcks();
    }

    private void onRequestFrame(byte[] identity, byte[] frame) {
        Envelope request;
        try {
            request = codec.decode(frame);
        } catch (WireFormatException ex) {
            handler.rejected(NAME, ex.getMessage());
            if (ex.envelopeId() != null) {
                sendNack(identity, ex.envelopeId(), "meshrpc.BadEnvelope", ex.getMessage());
            }
            return;
        }
        if (request.kind() == Kind.REPLY) {
            handler.rejected(NAME, "REPLY sent to a ROUTER; replies travel back on the caller's connection");
            return;
        }
        Acceptance acceptance = handler.accept(request, NAME, (reply, encoded) -> submit(() -> {
            boolean sent = sendToRouter(identity, ZmqFrames.REPLY, encoded);
            metrics.sent(NAME, Kind.REPLY.name(), reply.topic(), sent ? SentOutcome.OK : SentOutcome.ERROR);
        }));
        if (acceptance.acknowledged()) {
            queueAck(identity, ZmqFrames.utf8(request.id()));
        } else {
            sendNack(identity, request.id(), acceptance.errorType(),
                    acceptance.description() + " (node " + nodeId + ", topic " + request.topic() + ")");
        }
    }

    /**
     * ACKs are sent once per read batch and sender, several ids in one message: under load this
     * divides the ACK traffic by the batch size, and it never delays an ACK past the current loop.
     */
    private void queueAck(byte[] identity, byte[] id) {
        if (ackIdentity != null && !java.util.Arrays.equals(ackIdentity, identity)) {
            flushAcks();
        }
        ackIdentity = identity;
        ackIds.add(id);
    }

    private void flushAcks() {
        if (ackIds.isEmpty()) {
            return;
        }
        if (router.send(ackIdentity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
            router.send(ZmqFrames.ACK, ZMQ.SNDMORE);
            int last = ackIds.size() - 1;
            for (int i = 0; i <= last; i++) {
                router.send(ackIds.get(i), i < last ? ZMQ.SNDMORE : 0);
            }
        } else {
            log.debug("Peer gone before its ACKs could be sent (errno {})", router.errno());
        }
        ackIds.clear();
        ackIdentity = null;
    }

    private void sendNack(byte[] identity, String id, String type, String message) {
        if (router.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
            router.send(ZmqFrames.NACK, ZMQ.SNDMORE);
            router.send(ZmqFrames.utf8(id), ZMQ.SNDMORE);
            router.send(ZmqFrames.nackBody(type, message), 0);
        }
    }

    private boolean sendToRouter(byte[] identity, byte[] command, byte[] body) {
        if (!router.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
            log.debug("Peer gone before its {} could be sent (errno {})", ZmqFrames.utf8(command), router.errno());
            return false;
        }
        router.send(command, ZMQ.SNDMORE);
        return router.send(body, 0);
    }

    // ---------------------------------------------------------------- sending (DEALERs)

    private void doSend(String peerNodeId, String peerEndpoint, String id, byte[] frame, long replyDeadline,
                        CompletableFuture<Void> acked) {
        if (!running) {
            fail(acked, unavailable());
            return;
        }
        ZmqPeer peer = peers.get(peerEndpoint);
        if (peer == null) {
            peer = openPeer(peerNodeId, peerEndpoint);
            if (peer == null) {
                fail(acked, new NoRouteException(Reason.TOO_MANY_PEERS, "Cannot open a connection to " + peerNodeId
                        + " (" + peerEndpoint + "): all " + settings.maxPeers() + " connections (meshrpc.zmq.max-peers)"
                        + " are busy"));
                return;
            }
        }
        if (peer.pending.size() >= settings.maxPendingPerPeer()) {
            fail(acked, queueFull(peer));
            return;
        }
        if (!peer.socket.send(frame, ZMQ.DONTWAIT)) {
            fail(acked, queueFull(peer));
            return;
        }
        long now = System.nanoTime();
        peer.lastActivityNanos = now;
        boolean call = replyDeadline > 0;
        if (call) {
            peer.awaitingReplies++;
            peer.latestReplyDeadlineMillis = Math.max(peer.latestReplyDeadlineMillis, replyDeadline);
        }
        peer.pending.put(id, new PendingAck(id, now, call, acked));
    }

    private NoRouteException queueFull(ZmqPeer peer) {
        return new NoRouteException(Reason.PEER_QUEUE_FULL, peer.pending.size() + " messages to " + peer.nodeId
                + " (" + peer.endpoint + ") wait for an ACK already (meshrpc.zmq.max-pending-per-peer="
                + settings.maxPendingPerPeer() + ")");
    }

    private ZmqPeer openPeer(String peerNodeId, String peerEndpoint) {
        if (peers.size() >= settings.maxPeers() && !evictOnePeer()) {
            return null;
        }
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setSndHWM(settings.maxPendingPerPeer() + 64);
        socket.setRcvHWM(100_000);
        socket.setHandshakeIvl((int) settings.handshakeInterval().toMillis());
        socket.setReconnectIVL(100);
        socket.setReconnectIVLMax(5_000);
        socket.setMaxMsgSize(2L * settings.maxMessageBytes() + 4096);
        applyHeartbeats(socket);
        socket.connect(peerEndpoint);
        ZmqPeer peer = new ZmqPeer(peerEndpoint, peerNodeId, socket, System.nanoTime());
        peers.put(peerEndpoint, peer);
        peersBySocket.put(socket, peer);
        poller.register(socket, ZMQ.Poller.POLLIN);
        connectedPeers = peers.size();
        return peer;
    }

    private boolean evictOnePeer() {
        long nowMillis = System.currentTimeMillis();
        for (ZmqPeer candidate : peers.values()) {
            if (candidate.closable(nowMillis)) {
                closePeer(candidate);
                return true;
            }
        }
        return false;
    }

    private void closePeer(ZmqPeer peer) {
        peers.remove(peer.endpoint);
        peersBySocket.remove(peer.socket);
        poller.unregister(peer.socket);
        context.destroySocket(peer.socket);
        connectedPeers = peers.size();
    }

    private void readDealer(ZmqPeer peer) {
        for (int n = 0; n < MAX_READS_PER_SOCKET; n++) {
            byte[] command = peer.socket.recv(ZMQ.DONTWAIT);
            if (command == null) {
                return;
            }
            List<byte[]> body = new ArrayList<>(4);
            while (peer.socket.hasReceiveMore()) {
                body.add(peer.socket.recv(0));
            }
            peer.lastActivityNanos = System.nanoTime();
            onDealerMessage(peer, command, body);
        }
    }

    private void onDealerMessage(ZmqPeer peer, byte[] command, List<byte[]> body) {
        if (ZmqFrames.is(command, ZmqFrames.ACK) && !body.isEmpty()) {
            for (byte[] id : body) {
                PendingAck pending = peer.pending.remove(ZmqFrames.utf8(id));
                if (pending != null) {
                    pending.acked().complete(null);
                }
            }
        } else if (ZmqFrames.is(command, ZmqFrames.NACK) && body.size() == 2) {
            PendingAck pending = peer.pending.remove(ZmqFrames.utf8(body.get(0)));
            if (pending != null) {
                if (pending.call()) {
                    peer.replyArrived();
                }
                String reason = ZmqFrames.utf8(body.get(1));
                fail(pending.acked(), new NoRouteException(Reason.REFUSED, peer.nodeId + " (" + peer.endpoint
                        + ") refused the message: " + reason));
            }
        } else if (ZmqFrames.is(command, ZmqFrames.REPLY) && body.size() == 1) {
            byte[] frame = body.get(0);
            peer.replyArrived();
            onReplyFrame(frame);
        } else {
            handler.rejected(NAME, "unknown command frame from " + peer.endpoint);
        }
    }

    private void onReplyFrame(byte[] frame) {
        Envelope reply;
        try {
            reply = codec.decode(frame);
        } catch (WireFormatException ex) {
            handler.rejected(NAME, ex.getMessage());
            return;
        }
        if (reply.kind() != Kind.REPLY) {
            handler.rejected(NAME, reply.kind() + " received where only replies are expected");
            return;
        }
        handler.reply(reply, NAME);
    }

    private void expireAcks(long now) {
        long timeout = settings.ackTimeout().toNanos();
        List<ZmqPeer> unresponsive = null;
        for (ZmqPeer peer : peers.values()) {
            PendingAck oldest = peer.oldest();
            if (oldest != null && now - oldest.sentAtNanos() > timeout) {
                if (unresponsive == null) {
                    unresponsive = new ArrayList<>();
                }
                unresponsive.add(peer);
            }
        }
        if (unresponsive != null) {
            unresponsive.forEach(this::peerUnresponsive);
        }
    }

    /**
     * A peer missed an ACK: everything still un-ACKed to it fails now (it would time out too), and
     * the connection is replaced, which also recovers a connection whose handshake stalled.
     */
    private void peerUnresponsive(ZmqPeer peer) {
        log.info("Node {} ({}) did not acknowledge within {} ms; {} message(s) fail over or fail", peer.nodeId,
                peer.endpoint, settings.ackTimeout().toMillis(), peer.pending.size());
        for (PendingAck pending : peer.pending.values()) {
            fail(pending.acked(), new NoRouteException(Reason.NOT_ACKNOWLEDGED, peer.nodeId + " (" + peer.endpoint
                    + ") did not acknowledge within " + settings.ackTimeout().toMillis() + " ms"));
        }
        peer.pending.clear();
        closePeer(peer);
    }

    private void closeIdlePeers(long now) {
        long idle = settings.idleTimeout().toNanos();
        long nowMillis = System.currentTimeMillis();
        Iterator<ZmqPeer> it = peers.values().iterator();
        List<ZmqPeer> idlePeers = null;
        while (it.hasNext()) {
            ZmqPeer peer = it.next();
            if (now - peer.lastActivityNanos > idle && peer.closable(nowMillis)) {
                if (idlePeers == null) {
                    idlePeers = new ArrayList<>();
                }
                idlePeers.add(peer);
            }
        }
        if (idlePeers != null) {
            idlePeers.forEach(this::closePeer);
        }
    }

    private static void fail(CompletableFuture<Void> future, RuntimeException error) {
        future.completeExceptionally(error);
    }

    private NoRouteException unavailable() {
        return new NoRouteException(Reason.TRANSPORT_UNAVAILABLE, "The ZeroMQ transport of node " + nodeId
                + " is stopped");
    }

    private void shutdownSockets() {
        running = false;
        for (ZmqPeer peer : peers.values()) {
            for (PendingAck pending : peer.pending.values()) {
                fail(pending.acked(), unavailable());
            }
        }
        Runnable command;
        while ((command = commands.poll()) != null) {
            try {
                command.run();
            } catch (RuntimeException ex) {
                log.debug("Command after stop failed: {}", ex.toString());
            }
        }
        peers.clear();
        peersBySocket.clear();
        connectedPeers = 0;
        try {
            poller.close();
            wakeup.source().close();
            wakeup.sink().close();
        } catch (IOException ex) {
            log.debug("Closing the wake-up pipe failed: {}", ex.toString());
        }
        context.close();
    }
}
