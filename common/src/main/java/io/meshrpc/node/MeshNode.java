package io.meshrpc.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.api.RpcClient;
import io.meshrpc.internal.client.CallerSpin;
import io.meshrpc.internal.client.DefaultRpcClient;
import io.meshrpc.internal.client.PendingCalls;
import io.meshrpc.internal.notify.DefaultNotifier;
import io.meshrpc.internal.notify.ListenerPoolsEndpoint;
import io.meshrpc.internal.notify.NotificationDelivery;
import io.meshrpc.internal.notify.NotificationDispatcher;
import io.meshrpc.internal.notify.NotificationReceiver;
import io.meshrpc.internal.notify.Subscription;
import io.meshrpc.internal.notify.ZmqNotificationPublisher;
import io.meshrpc.transport.NotificationBus;
import io.meshrpc.internal.client.VersionCaps;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.Registration;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.internal.routing.DeliveryRouter;
import io.meshrpc.internal.routing.PeerHealth;
import io.meshrpc.internal.routing.PolicyResolver;
import io.meshrpc.internal.routing.ReplyRouter;
import io.meshrpc.internal.server.DedupWindow;
import io.meshrpc.internal.server.Dispatcher;
import io.meshrpc.internal.server.StallWatchdog;
import io.meshrpc.internal.server.EndpointRegistry;
import io.meshrpc.transport.CallbackBatcher;
import io.meshrpc.transport.Inbound;
import io.meshrpc.transport.ReplyQueue;
import io.meshrpc.transport.Transport;
import io.meshrpc.transport.TransportName;
import io.meshrpc.transport.inprocess.InProcessNetwork;
import io.meshrpc.transport.inprocess.InProcessTransport;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.amqp.AmqpTransport;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.meshrpc.transport.zmq.ZmqTransport;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.IdGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.meshrpc.observation.MeshrpcReceiverObservationConvention;
import io.meshrpc.observation.MeshrpcSenderObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

/**
 * One meshrpc node: its receiver, its dispatcher, its client, wired together and started and
 * stopped in the right order.
 *
 * <p>The Spring Boot auto-configuration builds a node from properties; tests, benchmarks and
 * non-Spring programs build one with {@link #builder()}. Stopping is graceful: the node leaves the
 * matchmaker, refuses new messages (senders move on to another node), lets accepted ones finish,
 * then closes its sockets.
 */
public final class MeshNode implements AutoCloseable {

    /** Dispatch worker threads ({@code meshrpc.server.worker-threads}). */
    public static final int DEFAULT_WORKER_THREADS = 16;
    /** Accepted messages waiting for a worker, at most ({@code meshrpc.server.queue-capacity}). */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** Envelope ids remembered to drop duplicates ({@code meshrpc.server.dedup-window}). */
    public static final int DEFAULT_DEDUP_WINDOW = 100_000;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofSeconds(30);
    /** A call's timeout when the caller gives none ({@code meshrpc.call-timeout}). */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_IN_FLIGHT_CALLS = 10_000;
    /**
     * How long a caller blocked on a call's result spins before it parks ({@code meshrpc.caller-spin}):
     * longer than a quick call's round trip on a small machine (80–130 µs measured), one caller per node.
     */
    public static final Duration DEFAULT_CALLER_SPIN = Duration.ofNanos(200_000);
    /** Threads that complete the futures handed to applications. */
    public static final int DEFAULT_CALLBACK_THREADS = 2;

    private static final Logger log = LoggerFactory.getLogger(MeshNode.class);

    private final String nodeId;
    private final Matchmaker matchmaker;
    private final RpcMetrics metrics;
    /** The ZeroMQ transport, or null when the node runs on the in-process transport. */
    private final ZmqTransport zmq;
    /** The broker transport, or null when the node has none or runs in process. */
    private final AmqpTransport amqp;
    /** The brokerless path the router sends through: {@link #zmq}, or the in-process one. */
    private final Transport direct;
    /** The broker path the router sends through, or null. */
    private final Transport broker;
    private final DeliveryRouter router;
    private final RoutingAdmin routingAdmin;
    /** A peer is suspect once its connection has had messages waiting this long without an ACK. */
    private final Duration suspectAfter;
    private final ReplyRouter replies;
    private final JsonMapper mapper;
    private final EnvelopeCodec codec;
    private final List<Object> endpointBeans;
    private final List<Object> listenerBeans = new ArrayList<>();
    private final DefaultNotifier notifier;
    private NotificationDispatcher notifications;
    private final int workerThreads;
    private final int queueCapacity;
    private final int dedupCapacity;
    private final IdGenerator ids = new IdGenerator();
    private final PendingCalls pendingCalls;
    private final DefaultRpcClient client;
    private final ExecutorService callbacks;
    private final ScheduledThreadPoolExecutor timer;
    private final Duration drainTimeout;
    private volatile boolean started;
    private volatile boolean draining;
    private volatile boolean stopped;
    /** Whether the matchmaker has held this node's registration at some point: a lapse after it is a detachment. */
    private volatile boolean registeredOnce;
    private volatile EndpointRegistry endpoints;
    private volatile Dispatcher dispatcher;
    private volatile StallWatchdog watchdog;
    private final Duration stallThreshold;
    private final ObservationRegistry observations;
    private final MeshrpcReceiverObservationConvention receiverConvention;

    private MeshNode(Builder b) {
        this.nodeId = Objects.requireNonNull(b.nodeId, "nodeId");
        this.matchmaker = Objects.requireNonNull(b.matchmaker, "matchmaker");
        this.drainTimeout = b.drainTimeout;
        this.stallThreshold = b.stallThreshold;
        this.observations = b.observationRegistry == null ? ObservationRegistry.NOOP : b.observationRegistry;
        this.receiverConvention = b.receiverConvention;
        this.mapper = b.mapper == null ? defaultMapper() : b.mapper;
        this.codec = new EnvelopeCodec(mapper, b.maxMessageBytes);
        this.metrics = new RpcMetrics(b.meterRegistry == null ? new SimpleMeterRegistry() : b.meterRegistry);
        this.endpointBeans = new ArrayList<>(b.endpoints);
        this.listenerBeans.addAll(b.listeners);
        this.workerThreads = b.workerThreads;
        this.queueCapacity = b.queueCapacity;
        this.dedupCapacity = b.dedupWindow;
        this.callbacks = daemonPool("meshrpc-callback-" + nodeId, b.callbackThreads);
        CallbackBatcher batcher = new CallbackBatcher(callbacks);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "meshrpc-timer-" + nodeId));
        this.timer.setRemoveOnCancelPolicy(true);
        this.pendingCalls = new PendingCalls(timer, batcher, mapper, metrics, b.maxInFlightCalls,
                b.callerSpin.isZero() ? null : new CallerSpin(b.callerSpin));
        this.amqp = b.amqpConnections == null || b.inProcess != null ? null
                : new AmqpTransport(nodeId, b.amqpSettings, b.amqpConnections, codec, metrics, timer);
        this.zmq = b.inProcess != null ? null
                : new ZmqTransport(nodeId, b.zmq, codec, metrics, batcher);
        this.direct = zmq != null ? zmq : InProcessTransport.direct(nodeId, b.inProcess, codec);
        this.broker = b.inProcess == null ? amqp
                : b.inProcessBroker ? InProcessTransport.broker(nodeId, b.inProcess, codec) : null;
        metrics.timeGauge(RpcMetrics.MATCHMAKER_CACHE_AGE, "Age of the matchmaker view this node routes by",
                () -> matchmaker.cacheAge().map(Duration::toMillis).orElse(0L));
        RoutingSettings routing = b.routing != null ? b.routing
                : RoutingSettings.of(broker == null ? DeliveryPolicy.ZMQ : DeliveryPolicy.ZMQ_FIRST);
        this.router = new DeliveryRouter(matchmaker, direct, broker,
                new PolicyResolver(routing.defaultPolicy(), routing.topics(), matchmaker),
                new PeerHealth(routing.peerRetryInterval()), metrics);
        this.routingAdmin = new RouterAdmin(router);
        this.suspectAfter = b.zmq.heartbeatTimeout();
        this.replies = new ReplyRouter(broker instanceof ReplyQueue queue ? queue : null, metrics);
        this.client = new DefaultRpcClient(nodeId, codec, router, pendingCalls, metrics, ids,
                b.defaultTimeout, batcher, observations, b.senderConvention, b.versionCaps);
        this.notifier = new DefaultNotifier(nodeId, b.publisherId != null ? b.publisherId : nodeId, codec, ids,
                broker instanceof NotificationBus bus ? bus : null,
                new ZmqNotificationPublisher(matchmaker, client, router, codec), b.notificationDelivery,
                metrics.registry(), java.time.Clock.systemUTC(), callbacks);
    }

    /**
     * The mapper for arguments and results when none is given. Tolerant of evolving records: a
     * field an older sender does not know is absent, and an absent primitive becomes its default
     * (Jackson 3 would refuse it), so adding an {@code int} to a request record does not break the
     * senders that predate it.
     *
     * <p>Buffers are recycled per thread: every encode and decode takes one, and Jackson 3's default
     * pool (a concurrent deque shared by all threads) showed in the cast profile on both the caller
     * and the I/O thread. The threads that encode and decode here are few and long-lived.
     */
    public static JsonMapper defaultMapper() {
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build();
        return JsonMapper.builder(factory)
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds endpoint beans before the node starts. The Spring integration collects them only once
     * every bean exists, because endpoints often depend on the {@link RpcClient} of this node.
     */
    public synchronized void addEndpoints(java.util.Collection<?> beans) {
        if (started) {
            throw new IllegalStateException("Node " + nodeId + " is started; endpoints are fixed at start");
        }
        endpointBeans.addAll(beans);
    }

    /**
     * Adds {@link io.meshrpc.api.NotificationListener} beans before the node starts; the Spring
     * integration collects them with the endpoints.
     */
    public synchronized void addNotificationListeners(java.util.Collection<?> beans) {
        if (started) {
            throw new IllegalStateException("Node " + nodeId + " is started; listeners are fixed at start");
        }
        listenerBeans.addAll(beans);
    }

    /** Publishes this node's notifications (through the broker, or over ZeroMQ, by priority). */
    public io.meshrpc.api.Notifier notifier() {
        return notifier;
    }

    /** Starts receiving and registers the node's topics with the matchmaker. */
    public synchronized MeshNode start() {
        if (started) {
            return this;
        }
        // refused before anything starts: a node that cannot listen where it was told to does not half-start
        List<Subscription> subscriptions = Subscription.of(listenerBeans, mapper);
        List<Object> served = new ArrayList<>(endpointBeans);
        if (!subscriptions.isEmpty()) {
            served.add(new ListenerPoolsEndpoint(subscriptions)); // lists the node where publishers look for pools
            notifications = new NotificationDispatcher(nodeId, subscriptions, mapper, metrics.registry());
            if (!(broker instanceof NotificationBus)) {
                log.warn("Node {} has no broker: its listener pools get only the events sent over ZeroMQ", nodeId);
            }
        }
        endpoints = EndpointRegistry.of(served, mapper);
        dispatcher = new Dispatcher(nodeId, endpoints, codec, metrics, new DedupWindow(dedupCapacity), ids,
                replies, workerThreads, queueCapacity, observations, receiverConvention, timer);
        watchdog = new StallWatchdog(nodeId, dispatcher, stallThreshold);
        StallWatchdog dog = watchdog;
        timer.scheduleWithFixedDelay(dog::check, 1, 1, TimeUnit.SECONDS);
        // requests go to the dispatcher, replies straight to the calls waiting for them
        pendingCalls.start();
        Inbound inbound = new Inbound(new NotificationReceiver(nodeId, dispatcher, notifications, metrics), pendingCalls);
        direct.start(inbound, endpoints.topics());
        if (broker != null) {
            // publishers ask listener nodes for their pools over ZeroMQ only: no broker queues for that topic
            Set<String> brokerTopics = new HashSet<>(endpoints.topics());
            brokerTopics.remove(ListenerPoolsEndpoint.TOPIC);
            broker.start(inbound, Set.copyOf(brokerTopics));
        }
        listen(subscriptions);
        matchmaker.register(new Registration(new NodeRef(nodeId, endpoint(), zmq == null ? null : zmq.publicKey()),
                endpoints.topics(), broker == null ? List.of(direct.name().tag())
                        : List.of(direct.name().tag(), broker.name().tag()),
                this::trafficStats));
        started = true;
        return this;
    }

    /** Starts this node's listener pools on the broker, if it has one (ZeroMQ's come through the receiver). */
    private void listen(List<Subscription> subscriptions) {
        if (subscriptions.isEmpty() || !(broker instanceof NotificationBus bus)) {
            return;
        }
        bus.listen(subscriptions.stream().map(s -> new NotificationBus.Pool(s.topic(), s.pool(), s.priorities()))
                .toList(), notifications);
    }

    /** Stops gracefully: deregister, refuse new messages, drain, close. */
    public synchronized void stop() {
        if (!started) {
            return;
        }
        draining = true;
        started = false;
        matchmaker.deregister(nodeId);
        dispatcher.stopAccepting();
        if (notifications != null) {
            notifications.stopAccepting();
        }
        direct.stopReceiving();
        if (broker != null) {
            broker.stopReceiving();
        }
        try {
            if (!dispatcher.drain(drainTimeout)) {
                log.warn("Node {}: messages still running after the drain timeout of {}", nodeId, drainTimeout);
                dispatcher.shutdownNow();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            dispatcher.shutdownNow();
        }
        direct.close();
        if (broker != null) {
            broker.close();
        }
        if (notifications != null) {
            try {
                notifications.stop(drainTimeout.toMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        pendingCalls.failAll("node " + nodeId + " is stopping");
        callbacks.shutdown();
        timer.shutdownNow();
        stopped = true;
        draining = false;
    }

    @Override
    public void close() {
        stop();
    }

    public RpcClient client() {
        return client;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The ZeroMQ endpoint other nodes reach this one at, once started. */
    public String endpoint() {
        return zmq != null ? zmq.endpoint() : ((InProcessTransport) direct).endpoint();
    }

    public RpcMetrics metrics() {
        return metrics;
    }

    /** Messages sent and received per transport, for the matchmaker's fleet view. */
    private java.util.Map<String, Object> trafficStats() {
        java.util.Map<String, Object> sent = new java.util.TreeMap<>();
        java.util.Map<String, Object> received = new java.util.TreeMap<>();
        for (TransportName name : TransportName.values()) {
            String transport = name.tag();
            sent.put(transport, (long) metrics.count(RpcMetrics.SENT, "transport", transport, "outcome", "ok"));
            received.put(transport, (long) metrics.count(RpcMetrics.RECEIVED, "transport", transport, "outcome", "handled"));
        }
        return java.util.Map.of("sent", sent, "received", received);
    }

    /**
     * What the node does with its messages now: transports, policies and where each comes from,
     * peers, traffic, queues, dedup window, matchmaker view. Built on each call (it asks the ZeroMQ
     * I/O thread for its connection table, waiting at most two seconds); for the actuator endpoint.
     */
    public NodeReport report() {
        Evaluated evaluated = evaluate();
        EndpointRegistry served = endpoints;
        return NodeReporter.report(new NodeReporter.Parts(nodeId, endpoint(), direct, zmq, amqp, router, dispatcher,
                served == null ? Set.of() : served.topics(), matchmaker, metrics, suspectAfter), evaluated.state(),
                evaluated.reason());
    }

    /** Whether dispatch is stalled, for the liveness health check; empty before start. */
    public Optional<NodeReport.Stall> stall() {
        StallWatchdog dog = watchdog;
        if (dog == null) {
            return Optional.empty();
        }
        StallWatchdog.State s = dog.check();
        return Optional.of(new NodeReport.Stall(s.stalled(), s.oldestQueued(), s.queueDepth(), s.threshold()));
    }

    /** The operator's levers on this node's routing: policy overrides, a peer retried at once. */
    public RoutingAdmin routing() {
        return routingAdmin;
    }

    public boolean isRunning() {
        return started && direct.isRunning() && (broker == null || broker.isRunning());
    }

    /** Where a node is in its life: what readiness and the actuator endpoint report. */
    public enum State {
        /** Built, not started. */
        NEW,
        /** Receiving (ports bound, consumers started), but the matchmaker has not taken its registration yet. */
        REGISTERING,
        /** Receiving and registered: ready for traffic. */
        RUNNING,
        /**
         * Receiving, but cut off: its registration lapsed (the matchmaker accepted no heartbeat within the TTL, so
         * it has expired the node) or, where the broker transport is on, its broker connection is down.
         * {@link #stateReason()} says which.
         */
        DETACHED,
        /** Stopping gracefully: deregistered, refusing new messages, finishing the accepted ones. */
        DRAINING,
        /** Stopped. */
        STOPPED,
        /** Started, but a transport stopped by itself (its I/O thread failed, see the log). */
        FAILED;

        /** The lower-case name, as shown in JSON. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public State state() {
        return evaluate().state();
    }

    /** Why the node is not {@link State#RUNNING}, in a sentence for operators; null when it is. */
    public String stateReason() {
        return evaluate().reason();
    }

    private record Evaluated(State state, String reason) {
    }

    private Evaluated evaluate() {
        if (draining) {
            return new Evaluated(State.DRAINING, "draining: deregistered, finishing accepted messages");
        }
        if (!started) {
            return stopped ? new Evaluated(State.STOPPED, "node stopped")
                    : new Evaluated(State.NEW, "node not started yet");
        }
        if (!isRunning()) {
            return new Evaluated(State.FAILED, "a transport stopped by itself (see the log)");
        }
        if (!matchmaker.isRegistered()) {
            return registeredOnce
                    ? new Evaluated(State.DETACHED, "the matchmaker accepted no heartbeat of this node within its TTL: "
                            + "the node has expired there and new senders do not find it")
                    : new Evaluated(State.REGISTERING, "the matchmaker has not taken this node's registration yet");
        }
        registeredOnce = true;
        if (amqp != null && !amqp.isConnected()) {
            return new Evaluated(State.DETACHED, "the broker connection is down: nothing reaches this node through "
                    + "the broker, and its broker sends fail");
        }
        return new Evaluated(State.RUNNING, null);
    }

    private static ExecutorService daemonPool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, name + "-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Assembles a node; every setting has a default but the node id and the matchmaker. */
    public static final class Builder {
        private String nodeId;
        private Matchmaker matchmaker;
        private final List<Object> endpoints = new ArrayList<>();
        private final List<Object> listeners = new ArrayList<>();
        private String publisherId;
        private NotificationDelivery notificationDelivery = NotificationDelivery.DEFAULT;
        private ZmqSettings zmq = ZmqSettings.loopback(0);
        private InProcessNetwork inProcess;
        private boolean inProcessBroker;
        private MeterRegistry meterRegistry;
        private JsonMapper mapper;
        private int maxMessageBytes = EnvelopeCodec.DEFAULT_MAX_MESSAGE_BYTES;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int dedupWindow = DEFAULT_DEDUP_WINDOW;
        private int callbackThreads = DEFAULT_CALLBACK_THREADS;
        private Duration defaultTimeout = DEFAULT_CALL_TIMEOUT;
        private VersionCaps versionCaps = VersionCaps.NONE;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration stallThreshold = DEFAULT_STALL_THRESHOLD;
        private int maxInFlightCalls = DEFAULT_MAX_IN_FLIGHT_CALLS;
        private Duration callerSpin = DEFAULT_CALLER_SPIN;
        private CachingConnectionFactory amqpConnections;
        private AmqpSettings amqpSettings;
        private RoutingSettings routing;
        private ObservationRegistry observationRegistry;
        private MeshrpcSenderObservationConvention senderConvention;
        private MeshrpcReceiverObservationConvention receiverConvention;

        public Builder nodeId(String id) {
            this.nodeId = id;
            return this;
        }

        public Builder matchmaker(Matchmaker m) {
            this.matchmaker = m;
            return this;
        }

        /** Adds beans annotated with {@link io.meshrpc.api.RpcEndpoint}. */
        public Builder endpoints(Object... beans) {
            this.endpoints.addAll(List.of(beans));
            return this;
        }

        /** {@link io.meshrpc.api.NotificationListener} beans: this node's members of listener pools. */
        public Builder notificationListeners(Object... beans) {
            listeners.addAll(List.of(beans));
            return this;
        }

        /** The publisher id of this node's notifications (oslo's {@code service.host}); the node id by default. */
        public Builder publisherId(String id) {
            this.publisherId = id;
            return this;
        }

        /** Which path carries the notifications of each priority; {@link NotificationDelivery#DEFAULT} by default. */
        public Builder notificationDelivery(NotificationDelivery delivery) {
            this.notificationDelivery = Objects.requireNonNull(delivery, "delivery");
            return this;
        }

        public Builder endpoints(List<Object> beans) {
            this.endpoints.addAll(beans);
            return this;
        }

        public Builder zmq(ZmqSettings settings) {
            this.zmq = settings;
            return this;
        }

        /**
         * Enables the broker transport over {@code connections}; the node consumes from the broker
         * as well as from ZeroMQ. The factory is configured for publisher confirms and returns.
         */
        public Builder amqp(CachingConnectionFactory connections, AmqpSettings settings) {
            this.amqpConnections = connections;
            this.amqpSettings = settings;
            return this;
        }

        /**
         * Runs the node on the in-process transport of {@code network} instead of ZeroMQ and the broker:
         * for tests of routing, failover and dispatch without sockets. With {@code withBroker}, the
         * network's broker stands in for AMQP. The ZeroMQ and AMQP settings are then not used.
         */
        public Builder inProcess(InProcessNetwork network, boolean withBroker) {
            this.inProcess = network;
            this.inProcessBroker = withBroker;
            return this;
        }

        /** The delivery policies; by default {@code zmq-first} with a broker, {@code zmq} without. */
        public Builder routing(RoutingSettings settings) {
            this.routing = settings;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Where {@code meshrpc.send} and {@code meshrpc.handle} observations go (tracing; see
         * {@code docs/tracing.md}); {@link ObservationRegistry#NOOP}, the default, observes nothing
         * and costs nothing.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = registry;
            return this;
        }

        /** Custom conventions (names, key values) for the observations; {@code null} for the defaults. */
        public Builder observationConventions(MeshrpcSenderObservationConvention sender,
                                              MeshrpcReceiverObservationConvention receiver) {
            this.senderConvention = sender;
            this.receiverConvention = receiver;
            return this;
        }

        public Builder mapper(JsonMapper jsonMapper) {
            this.mapper = jsonMapper;
            return this;
        }

        /**
         * The largest encoded envelope this node sends or accepts, on every transport; larger ones are
         * refused at the sender ({@link io.meshrpc.api.MessageTooLargeException}) and dropped at the receiver.
         */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        public Builder workers(int threads, int queue) {
            this.workerThreads = threads;
            this.queueCapacity = queue;
            return this;
        }

        public Builder dedupWindow(int ids) {
            this.dedupWindow = ids;
            return this;
        }

        public Builder callbackThreads(int threads) {
            this.callbackThreads = threads;
            return this;
        }

        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = timeout;
            return this;
        }

        /** Most calls of this node waiting for replies at once; more fail at once. */
        public Builder maxInFlightCalls(int calls) {
            this.maxInFlightCalls = calls;
            return this;
        }

        /**
         * How long a caller blocked in {@code join()} or {@code get()} on a call's result spins before
         * it parks, one caller of this node at a time: lower latency for as much CPU as it spins.
         */
        public Builder callerSpin(Duration spin) {
            this.callerSpin = spin;
            return this;
        }

        /** How long the oldest queued message may wait before the node counts as stalled. */
        public Builder stallThreshold(Duration threshold) {
            this.stallThreshold = threshold;
            return this;
        }

        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * The highest interface version this node sends per topic ({@code major.minor}); a message
         * asking for more fails with {@link io.meshrpc.api.VersionCapException}, unsent.
         */
        public Builder versionCaps(Map<String, String> caps) {
            Map<String, io.meshrpc.api.Version> parsed = new java.util.HashMap<>();
            caps.forEach((topic, cap) -> parsed.put(topic, io.meshrpc.api.Version.parse(cap)));
            this.versionCaps = new VersionCaps(parsed);
            return this;
        }

        public MeshNode build() {
            return new MeshNode(this);
        }
    }
}
