package io.meshrpc.transport.amqp;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.ListenerContainerConsumerFailedEvent;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.core.AcknowledgeMode;

import io.micrometer.core.instrument.Counter;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.ReplyQueue;
import io.meshrpc.transport.Route;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;

/**
 * The broker transport: AMQP 0-9-1 through Spring AMQP, one implementation for RabbitMQ and
 * Apache Qpid Broker-J.
 *
 * <p>A publish counts as sent only when the broker confirmed it and did not return it as
 * unroutable; casts are persistent. Publishing runs on this transport's own thread, so a caller —
 * or the ZeroMQ I/O thread failing a message over — never waits on the broker's socket; at most
 * {@link AmqpSettings#maxPending()} publishes wait for confirms at once. After a broker restart the
 * connection factory reconnects and every declaration is made again before consumers resume.
 */
public final class AmqpTransport implements Transport, ReplyQueue {

    private static final Logger log = LoggerFactory.getLogger(AmqpTransport.class);
    private static final long RETURN_GRACE_MILLIS = 200;
    private static final int PUBLISH_BATCH = 256;

    private final String nodeId;
    private final AmqpSettings settings;
    private final AmqpTopology topology;
    private final CachingConnectionFactory connectionFactory;
    private final EnvelopeCodec codec;
    private final RpcMetrics metrics;
    private final RabbitTemplate template;
    private final RabbitAdmin admin;
    private final LinkedBlockingQueue<Runnable> publishes = new LinkedBlockingQueue<>();
    private final Thread publisher;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private final ConfirmDeadlines deadlines;
    private volatile ScheduledFuture<?> sweep;
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final java.util.Map<String, String> returnedIds = new ConcurrentHashMap<>();
    private final Set<String> senderTopics = ConcurrentHashMap.newKeySet();
    private volatile List<Declarable> receiverDeclarations = List.of();
    private volatile SimpleMessageListenerContainer container;
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
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        // the node's own connection: its heartbeat bounds how long a partition goes unnoticed
        connectionFactory.setRequestedHeartBeat((int) settings.heartbeat().toSeconds());
        // and its connect timeout how long a reconnect started during a partition outlasts the healing
        connectionFactory.setConnectionTimeout((int) settings.connectionTimeout().toMillis());
        connectionFactory.setPublisherReturns(true);
        this.template = new RabbitTemplate(connectionFactory);
        template.setMandatory(true);
        // Qpid Broker-J's returns do not always find their CorrelationData: remember them by id too.
        template.setReturnsCallback(r -> returnedIds.put(r.getMessage().getMessageProperties().getMessageId(),
                r.getReplyText()));
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
        SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connectionFactory);
        c.setQueueNames(queues.toArray(String[]::new));
        c.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        c.setPrefetchCount(settings.prefetch());
        c.setConcurrentConsumers(settings.consumers());
        c.setMissingQueuesFatal(false);
        c.setRecoveryInterval(settings.recoveryInterval().toMillis());
        c.setMessageListener(new AmqpReceiver(nodeId, codec, inbound, this));
        Counter restarts = Counter.builder(RpcMetrics.CONSUMER_RESTARTS)
                .description("Broker consumers that failed (channel closed, cancelled, connection lost) and were restarted")
                .register(metrics.registry());
        c.setApplicationEventPublisher(event -> {
            if (event instanceof ListenerContainerConsumerFailedEvent failed && !failed.isFatal()) {
                restarts.increment();
                log.warn("A broker consumer of node {} failed ({}); restarting it", nodeId, failed.getReason());
            }
        });
        c.afterPropertiesSet();
        c.start();
        container = c;
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
        return publish(exchange, key, what, topic, message.header(), message.envelope().json(), MessageDeliveryMode.PERSISTENT);
    }

    /** Publishes a reply to the caller's reply queue, not persistent: nobody waits for it after a broker restart. */
    @Override
    public CompletableFuture<Void> sendReply(String callerNodeId, EncodedEnvelope reply) {
        return publish("", topology.replyQueue(callerNodeId), () -> "reply queue of " + callerNodeId, null,
                reply.header(), reply.json(), MessageDeliveryMode.NON_PERSISTENT);
    }

    private CompletableFuture<Void> publish(String exchange, String key, Supplier<String> what, String senderTopic,
                                            Envelope envelope, byte[] frame, MessageDeliveryMode mode) {
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
        publishes.add(() -> publishNow(exchange, key, what, senderTopic, envelope, frame, mode, confirmed));
        return sent;
    }

    /**
     * The publisher thread: takes what is waiting and publishes it on one channel held for the
     * batch ({@code RabbitTemplate.invoke}), instead of a channel checkout per message. Confirms
     * arrive asynchronously and complete each message's future.
     */
    private void publishLoop() {
        List<Runnable> batch = new java.util.ArrayList<>(PUBLISH_BATCH);
        while (running || !publishes.isEmpty()) {
            try {
                Runnable first = publishes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                publishes.drainTo(batch, PUBLISH_BATCH - 1);
                publishBatch(batch);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void publishBatch(List<Runnable> batch) {
        int[] done = {0};
        try {
            template.invoke(onOneChannel -> {
                for (; done[0] < batch.size(); done[0]++) {
                    batch.get(done[0]).run();
                }
                return null;
            });
        } catch (AmqpException ex) {
            // no channel at all (broker down): each remaining publish fails on its own, with the reason
            for (; done[0] < batch.size(); done[0]++) {
                batch.get(done[0]).run();
            }
        }
    }

    private void publishNow(String exchange, String key, Supplier<String> what, String senderTopic, Envelope envelope,
                            byte[] frame, MessageDeliveryMode mode, CompletableFuture<Void> sent) {
        if (sent.isDone()) {
            return; // its confirm timeout passed while it waited: it failed, and is not sent late
        }
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setDeliveryMode(mode);
        props.setMessageId(envelope.id());
        props.setAppId(nodeId);
        CorrelationData correlation = new CorrelationData(envelope.id());
        try {
            if (senderTopic != null && senderTopics.add(senderTopic)) {
                declare(topology.senderDeclarations(senderTopic));
            }
            template.send(exchange, key, new Message(frame, props), correlation);
        } catch (AmqpException ex) {
            if (senderTopic != null) {
                senderTopics.remove(senderTopic);
            }
            sent.completeExceptionally(unavailable("broker unreachable (" + rootMessage(ex) + "); " + what.get()
                    + " not sent"));
            return;
        }
        // the confirm timeout is the sweep's (ConfirmDeadlines); a confirm after it changes nothing
        correlation.getFuture()
                .whenComplete((confirm, error) -> {
                    if (error != null) {
                        sent.completeExceptionally(unavailable("broker confirm failed for " + what.get() + ": "
                                + error.getMessage()));
                    } else if (returned(correlation, envelope.id())) {
                        sent.completeExceptionally(unroutable(what, exchange, key));
                    } else if (!confirm.ack()) {
                        // Qpid Broker-J nacks an unroutable message after returning it, and the return
                        // is handled on another thread: give it a moment to land before deciding.
                        CompletableFuture.delayedExecutor(RETURN_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(
                                () -> sent.completeExceptionally(returned(correlation, envelope.id())
                                        ? unroutable(what, exchange, key)
                                        : new NoRouteException(Reason.REFUSED, "The broker refused " + what.get() + ": "
                                                + confirm.reason())));
                    } else {
                        sent.complete(null);
                    }
                });
    }

    private boolean returned(CorrelationData correlation, String id) {
        return returnedIds.remove(id) != null | correlation.getReturned() != null;
    }

    private static NoRouteException unroutable(Supplier<String> what, String exchange, String key) {
        return new NoRouteException(Reason.NO_NODES, "The broker has no queue for " + what.get() + " (exchange '"
                + exchange + "', key '" + key + "', unroutable); the node has not consumed through the broker yet");
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
        SimpleMessageListenerContainer c = container;
        if (c != null) {
            c.stop();
            c.destroy();
        }
        try {
            publisher.join(settings.confirmTimeout().toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        Runnable left;
        while ((left = publishes.poll()) != null) {
            left.run(); // fails at once: the transport is stopped
        }
        connectionFactory.destroy();
    }

    /** Stops consuming only: the first step of a graceful stop, while replies can still go out. */
    @Override
    public void stopReceiving() {
        SimpleMessageListenerContainer c = container;
        if (c != null) {
            c.stop();
        }
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
    }

    private void declare(List<Declarable> declarables) {
        for (Declarable d : declarables) {
            if (d instanceof Exchange e) {
                admin.declareExchange(e);
            } else if (d instanceof Queue q) {
                admin.declareQueue(q);
            } else if (d instanceof Binding b) {
                admin.declareBinding(b);
            }
        }
    }

    private static NoRouteException unavailable(String message) {
        return new NoRouteException(Reason.TRANSPORT_UNAVAILABLE, message);
    }

    private static String rootMessage(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
