package io.meshrpc.transport.amqp;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import com.rabbitmq.client.AMQP;

import io.micrometer.core.instrument.Counter;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.NotificationBus;
import io.meshrpc.transport.NotificationHandler;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.ReplyQueue;
import io.meshrpc.transport.Route;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;

/**
 * The broker transport: AMQP 0-9-1 through Spring AMQP, one implementation for RabbitMQ and
 * Apache Qpid Broker-J.
 *
 * <p>A publish counts as sent only when the broker confirmed it and did not return it as
 * unroutable; casts are persistent. Publishing runs on this transport's own thread, so a caller —
 * or the ZeroMQ I/O thread failing a message over — never waits on the broker's socket; at most
 * {@link AmqpSettings#maxPending()} publishes wait for confirms at once. A call or a reply skips
 * that thread when nothing is queued before it and the broker keeps up with its confirms (see
 * {@link #publishedDirectly}), because someone waits for each and the hand-off is a large part of a
 * broker call. After a broker restart the connection factory reconnects and every declaration is
 * made again before consumers resume.
 */
public final class AmqpTransport implements Transport, ReplyQueue, NotificationBus {

    private static final Logger log = LoggerFactory.getLogger(AmqpTransport.class);
    private static final int PUBLISH_BATCH = 256;
    /** A call or reply larger than this goes through the publisher thread: its write could wait for the broker. */
    private static final int DIRECT_MAX_BYTES = 8 * 1024;
    /** With more publishes than this awaiting a confirm the broker may not be reading: publish through the thread. */
    private static final int DIRECT_MAX_UNCONFIRMED = 8;
    /**
     * Stands in {@link #senderTopics} for the notify exchange, declared once like a topic's exchanges (and
     * again after a reconnect); {@code @} is in no topic name.
     */
    private static final String NOTIFY_DECLARATIONS = "@notify";
    private static final int PERSISTENT = 2;
    private static final int NON_PERSISTENT = 1;

    private final String nodeId;
    private final AmqpSettings settings;
    private final AmqpTopology topology;
    private final CachingConnectionFactory connectionFactory;
    private final EnvelopeCodec codec;
    private final RpcMetrics metrics;
    private final RabbitAdmin admin;
    private final LinkedBlockingQueue<Publish> publishes = new LinkedBlockingQueue<>();
    /** Publishes handed to the publisher thread and not yet on the channel: while any are, none goes directly. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Guards {@link #channel}: held by the publisher thread while it publishes, and by a direct publish. */
    private final ReentrantLock channelLock = new ReentrantLock();
    private ConfirmedChannel channel; // guarded by channelLock
    private final Thread publisher;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private final ConfirmDeadlines deadlines;
    private volatile ScheduledFuture<?> sweep;
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final Set<String> senderTopics = ConcurrentHashMap.newKeySet();
    private volatile List<Declarable> receiverDeclarations = List.of();
    private final List<BrokerConsumer> consumers = new CopyOnWriteArrayList<>();
    private volatile Counter consumerRestarts;
    private volatile List<Declarable> poolDeclarations = List.of();
    private volatile boolean running;
    private volatile boolean connected;

    /**
     * @param timer runs the sweep that fails publishes not confirmed within the confirm timeout
     */
    public AmqpTransport(String nodeId, AmqpSettings settings, CachingConnectionFactory connectionFactory,
                         EnvelopeCodec codec, RpcMetrics metrics, ScheduledExecutorService timer) {
        this.nodeId = nodeId;
        this.timer = timer;
        this.deadlines = new ConfirmDeadlines(settings.confirmTimeout());
        this.settings = settings;
        this.topology = new AmqpTopology(settings);
        this.connectionFactory = connectionFactory;
        this.codec = codec;
        this.metrics = metrics;
        // confirms and returns are matched by ConfirmedChannel on a channel of its own, not by Spring AMQP's
        // correlated confirms, which hand every confirm to an executor
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.NONE);
        connectionFactory.setPublisherReturns(false);
        // the node's own connection: its heartbeat bounds how long a partition goes unnoticed
        connectionFactory.setRequestedHeartBeat((int) settings.heartbeat().toSeconds());
        // and its connect timeout how long a reconnect started during a partition outlasts the healing
        connectionFactory.setConnectionTimeout((int) settings.connectionTimeout().toMillis());
        this.admin = new RabbitAdmin(connectionFactory);
        admin.setIgnoreDeclarationExceptions(true);
        connectionFactory.addConnectionListener(redeclareOnConnect());
        this.publisher = new Thread(this::publishLoop, "meshrpc-amqp-publish-" + nodeId);
        publisher.setDaemon(true);
    }

    @Override
    public TransportName name() {
        return TransportName.AMQP;
    }

    public AmqpTopology topology() {
        return topology;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Whether the node's broker connection is open, as the connection factory last reported it: false once it
     * was closed or lost (a broker down, or two missed heartbeats), true again when it is reopened.
     */
    public boolean isConnected() {
        return connected;
    }

    /** Publishes sent to the broker (or waiting for the publisher thread) whose confirm has not come yet. */
    public int pendingConfirms() {
        return pending.get();
    }

    /**
     * Declares this node's queues and starts consuming them. Returns without waiting for the
     * broker: a broker that is down now is connected to when it comes back.
     */
    @Override
    public synchronized void start(Inbound inbound, Set<String> topics) {
        if (running) {
            return;
        }
        receiverDeclarations = topology.declarations(nodeId, topics);
        running = true;
        publisher.start();
        long every = deadlines.interval().toNanos();
        sweep = timer.scheduleWithFixedDelay(() -> deadlines.sweep(System.nanoTime()), every, every,
                TimeUnit.NANOSECONDS);
        try {
            int before = connectionsOpened.get();
            connectionFactory.createConnection();
            connected = true;
            if (connectionsOpened.get() == before) {
                declareAll(); // the connection was already open: no listener call declared them
            }
        } catch (AmqpException ex) {
            log.warn("Broker unreachable at start ({}); node {} will consume once it is back", ex.getMessage(), nodeId);
        }
        List<String> queues = new java.util.ArrayList<>(topology.consumedQueues(nodeId, topics));
        queues.add(topology.replyQueue(nodeId));
        consumerRestarts = Counter.builder(RpcMetrics.CONSUMER_RESTARTS)
                .description("Broker consumers that failed (channel closed, cancelled, connection lost) and were restarted")
                .register(metrics.registry());
        AmqpReceiver receiver = new AmqpReceiver(nodeId, codec, inbound, this);
        for (int i = 0; i < settings.consumers(); i++) {
            consume("meshrpc-amqp-consume-" + nodeId + "-" + i, queues, receiver);
        }
        log.info("Node {} consuming {} from the broker", nodeId, queues);
    }

    /**
     * Publishes a CAST or CALL, persistent, to one node's queue, to a topic's shared queue, or to a
     * topic's fanout exchange. The future completes when the broker confirmed it.
     */
    @Override
    public CompletableFuture<Void> send(Route route, OutboundMessage message) {
        String topic = route.topic();
        String exchange = topology.exchange();
        String key;
        Supplier<String> what;
        if (route instanceof Route.ToNode toNode) {
            key = topology.nodeKey(topic, toNode.node().nodeId());
            what = () -> "node " + toNode.node().nodeId() + " (topic " + topic + ")";
        } else if (route instanceof Route.Fanout) {
            exchange = topology.fanoutExchange(topic);
            key = "";
            what = () -> "fanout " + topic;
        } else {
            key = topology.topicKey(topic);
            what = () -> "topic " + topic;
        }
        Envelope header = message.header();
        return publish(exchange, key, what, topic, header, message.envelope().json(),
                header.kind() == Kind.CALL ? PublishKind.CALL : PublishKind.CAST);
    }

    /**
     * Publishes a notification, persistent, to the notify exchange with the key {@code <topic>.<priority>}:
     * the broker copies it to every pool queue bound to that key. Not mandatory: an event nobody
     * listens to is confirmed and dropped, as oslo.messaging drops it.
     */
    @Override
    public CompletableFuture<Void> publish(String topic, io.meshrpc.api.Priority priority, EncodedEnvelope event) {
        String key = topology.notifyKey(topic, priority);
        return publish(topology.notifyExchange(), key, () -> "notification " + key, NOTIFY_DECLARATIONS, event.header(),
                event.json(), PublishKind.NOTIFICATION);
    }

    /**
     * Declares the pools' queues and bindings (again after every reconnect) and consumes them with a
     * container of their own, acknowledging as the handler accepts.
     */
    @Override
    public synchronized void listen(List<NotificationBus.Pool> pools, NotificationHandler handler) {
        if (!running || pools.isEmpty()) {
            return;
        }
        poolDeclarations = topology.poolDeclarations(pools);
        try {
            declare(poolDeclarations);
        } catch (AmqpException ex) {
            log.warn("Broker unreachable when node {} declared its listener pools ({}); declared on reconnect",
                    nodeId, ex.getMessage());
        }
        java.util.Map<String, Integer> byQueue = new java.util.HashMap<>();
        for (int i = 0; i < pools.size(); i++) {
            byQueue.put(topology.poolQueue(pools.get(i).topic(), pools.get(i).pool()), i);
        }
        consume("meshrpc-amqp-pools-" + nodeId, List.copyOf(byQueue.keySet()),
                new PoolReceiver(codec, byQueue, handler));
        log.info("Node {} listening to pools {}", nodeId, byQueue.keySet());
    }

    /** Publishes a reply to the caller's reply queue, not persistent: nobody waits for it after a broker restart. */
    @Override
    public CompletableFuture<Void> sendReply(String callerNodeId, EncodedEnvelope reply) {
        return publish("", topology.replyQueue(callerNodeId), () -> "reply queue of " + callerNodeId, null,
                reply.header(), reply.json(), PublishKind.REPLY);
    }

    private CompletableFuture<Void> publish(String exchange, String key, Supplier<String> what, String senderTopic,
                                            Envelope envelope, byte[] frame, PublishKind kind) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (!running) {
            sent.completeExceptionally(unavailable("the broker transport of node " + nodeId + " is stopped"));
            return sent;
        }
        if (pending.incrementAndGet() > settings.maxPending()) {
            pending.decrementAndGet();
            sent.completeExceptionally(new NoRouteException(Reason.PEER_QUEUE_FULL, settings.maxPending()
                    + " publishes already wait for the broker's confirm (meshrpc.amqp.max-pending)"));
            return sent;
        }
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        confirmed.whenComplete((ok, error) -> {
            pending.decrementAndGet();
            if (error == null) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(error);
            }
        });
        deadlines.add(confirmed, what);
        Publish p = new Publish(exchange, key, what, senderTopic, envelope.id(), frame, kind, confirmed);
        if (!(kind.direct() && publishedDirectly(p))) {
            queued.incrementAndGet();
            publishes.add(p);
        }
        return sent;
    }

    /**
     * Publishes {@code p} on the calling thread when that cannot make it wait or overtake: nothing is queued
     * for the publisher thread (nor being published by it), the channel is open and free, the body is small,
     * and at most {@link #DIRECT_MAX_UNCONFIRMED} publishes await a confirm. A broker that stops reading
     * (frozen, or blocking publishers on a resource alarm) stops confirming too, so no more than that many
     * small publishes are ever written ahead of its reading, far less than the two socket buffers between
     * this node and the broker hold: the write returns at once.
     */
    private boolean publishedDirectly(Publish p) {
        if (queued.get() != 0 || p.frame().length > DIRECT_MAX_BYTES || pending.get() > DIRECT_MAX_UNCONFIRMED
                || p.senderTopic() != null && !senderTopics.contains(p.senderTopic())) {
            return false;
        }
        if (!channelLock.tryLock()) {
            return false;
        }
        try {
            ConfirmedChannel c = channel;
            if (queued.get() != 0 || c == null || !c.isOpen()) {
                return false;
            }
            write(c, p);
            return true;
        } finally {
            channelLock.unlock();
        }
    }

    /** A publish on its way to the broker. */
    private record Publish(String exchange, String key, Supplier<String> what, String senderTopic, String messageId,
                           byte[] frame, PublishKind kind, CompletableFuture<Void> confirmed) {
    }

    /**
     * The publisher thread: takes what is waiting and publishes it on the one channel it holds
     * ({@link ConfirmedChannel}), opening a new one when the last closed. Confirms arrive on the
     * connection's thread and complete each message's future there.
     */
    private void publishLoop() {
        List<Publish> batch = new java.util.ArrayList<>(PUBLISH_BATCH);
        try {
            while (running || !publishes.isEmpty()) {
                Publish first = publishes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                publishes.drainTo(batch, PUBLISH_BATCH - 1);
                channelLock.lock();
                try {
                    publishBatch(batch);
                } finally {
                    channelLock.unlock();
                }
                // only now, once they are on the channel, may a direct publish go after them
                queued.addAndGet(-batch.size());
                batch.clear();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            channelLock.lock();
            try {
                if (channel != null) {
                    channel.close();
                }
            } finally {
                channelLock.unlock();
            }
        }
    }

    /** Publishes a batch, opening a channel first when the last one closed; called holding {@link #channelLock}. */
    private void publishBatch(List<Publish> batch) {
        String noChannel = null;
        if (channel == null || !channel.isOpen()) {
            try {
                channel = ConfirmedChannel.open(connectionFactory.createConnection().getDelegate().createChannel());
            } catch (java.io.IOException | RuntimeException ex) {
                channel = null;
                noChannel = BrokerErrors.rootMessage(ex);
            }
        }
        for (Publish p : batch) {
            if (channel == null) {
                fail(p, noChannel);
            } else {
                publishNow(channel, p);
            }
        }
    }

    private void publishNow(ConfirmedChannel channel, Publish p) {
        if (p.confirmed().isDone()) {
            return; // its confirm timeout passed while it waited: it failed, and is not sent late
        }
        try {
            if (p.senderTopic() != null && senderTopics.add(p.senderTopic())) {
                declare(NOTIFY_DECLARATIONS.equals(p.senderTopic()) ? topology.notifyDeclarations()
                        : topology.senderDeclarations(p.senderTopic()));
            }
        } catch (RuntimeException ex) {
            fail(p, BrokerErrors.rootMessage(ex));
            return;
        }
        write(channel, p);
    }

    /** Writes {@code p} to the channel, its exchanges already declared; a write that fails fails it. */
    private void write(ConfirmedChannel channel, Publish p) {
        try {
            channel.publish(p.exchange(), p.key(), p.kind().mandatory(), properties(p), p.frame(), p.confirmed(),
                    p.what());
        } catch (java.io.IOException | RuntimeException ex) {
            fail(p, BrokerErrors.rootMessage(ex));
        }
    }

    private void fail(Publish p, String why) {
        if (p.senderTopic() != null) {
            senderTopics.remove(p.senderTopic());
        }
        p.confirmed().completeExceptionally(unavailable("broker unreachable (" + why + "); " + p.what().get()
                + " not sent"));
    }

    private AMQP.BasicProperties properties(Publish p) {
        return new AMQP.BasicProperties.Builder()
                .contentType(MessageProperties.CONTENT_TYPE_JSON)
                .deliveryMode(p.kind().persistent() ? PERSISTENT : NON_PERSISTENT)
                .messageId(p.messageId())
                .appId(nodeId)
                .build();
    }

    /**
     * Stops consuming (messages not yet acknowledged go back to the broker) and publishing, and
     * closes the connection: the transport owns the factory it was given.
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        ScheduledFuture<?> s = sweep;
        if (s != null) {
            s.cancel(false);
        }
        consumers.forEach(BrokerConsumer::stop);
        try {
            publisher.join(settings.confirmTimeout().toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        Publish left;
        while ((left = publishes.poll()) != null) {
            left.confirmed().completeExceptionally(unavailable("the broker transport of node " + nodeId
                    + " is stopped; " + left.what().get() + " not sent"));
        }
        connectionFactory.destroy();
    }

    /** Stops consuming only: the first step of a graceful stop, while replies can still go out. */
    @Override
    public void stopReceiving() {
        consumers.forEach(BrokerConsumer::stop);
    }

    /** Starts a consumer of {@code queues}; after a failure it declares everything again before it resubscribes. */
    private void consume(String name, List<String> queues, DeliveryHandler handler) {
        BrokerConsumer consumer = new BrokerConsumer(name, connectionFactory, queues, BrokerConsumer.Pacing.of(settings),
                handler, this::declareAll, reason -> {
                    consumerRestarts.increment();
                    log.warn("A broker consumer of node {} failed ({}); restarting it", nodeId, reason);
                });
        consumers.add(consumer);
        consumer.start();
    }

    private ConnectionListener redeclareOnConnect() {
        return new ConnectionListener() {
            @Override
            public void onCreate(org.springframework.amqp.rabbit.connection.Connection connection) {
                connected = true;
                connectionsOpened.incrementAndGet();
                if (!running) {
                    return;
                }
                senderTopics.clear();
                try {
                    declareAll();
                } catch (AmqpException ex) {
                    log.warn("Declaring node {}'s queues after a reconnect failed: {}", nodeId, ex.getMessage());
                }
            }

            @Override
            public void onClose(org.springframework.amqp.rabbit.connection.Connection connection) {
                connected = false;
            }

            @Override
            public void onShutDown(com.rabbitmq.client.ShutdownSignalException signal) {
                connected = false;
            }

            @Override
            public void onFailed(Exception exception) {
                connected = false;
            }
        };
    }

    private void declareAll() {
        declare(receiverDeclarations);
        declare(poolDeclarations);
    }

    private void declare(List<Declarable> declarables) {
        AmqpTopology.declare(admin, declarables);
    }

    private static NoRouteException unavailable(String message) {
        return new NoRouteException(Reason.TRANSPORT_UNAVAILABLE, message);
    }
}
