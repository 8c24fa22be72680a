package io.meshrpc.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of docs/metrics.md, in one place so their names and tags cannot drift between transports.
 *
 * <p>Tags carry the topic but never a node id: node counts reach tens of thousands. Meters are
 * cached per tag combination so that counting on the hot path is a map look-up and an add.
 */
public final class RpcMetrics {

    public static final String SENT = "meshrpc.messages.sent";
    public static final String RECEIVED = "meshrpc.messages.received";
    public static final String CALL_DURATION = "meshrpc.call.duration";
    public static final String FAILOVERS = "meshrpc.failovers";
    public static final String DISPATCH_QUEUE_DEPTH = "meshrpc.dispatch.queue.depth";
    public static final String DISPATCH_OLDEST_AGE = "meshrpc.dispatch.oldest.age";
    public static final String PEERS_CONNECTED = "meshrpc.peers.connected";
    public static final String MATCHMAKER_CACHE_AGE = "meshrpc.matchmaker.cache.age";
    public static final String AUTH_REJECTED = "meshrpc.auth.rejected";
    /** Incoming ZeroMQ connections a receiver closed, by {@code reason} (docs/metrics.md). */
    public static final String ZMQ_CONNECTIONS_CLOSED = "meshrpc.zmq.connections.closed";
    /** Incoming ZeroMQ connections open at a receiver now. */
    public static final String ZMQ_CONNECTIONS_INCOMING = "meshrpc.zmq.connections.incoming";
    public static final String CONSUMER_RESTARTS = "meshrpc.amqp.consumer.restarts";

    /** The topic tag of received messages whose topic this node does not serve or could not read. */
    public static final String UNKNOWN_TOPIC = "unknown";
    /** The transport tag of a message no transport was tried for, and of a call no transport carried. */
    public static final String NO_TRANSPORT = "none";

    private static final String UNKNOWN_KIND = "unknown";
    private static final Kind[] KIND_VALUES = Kind.values();
    private static final int SENT_FLOW = 0;
    private static final int RECEIVED_FLOW = 1;
    private static final int NO_TRANSPORT_INDEX = TransportName.values().length;
    private static final int TRANSPORTS = NO_TRANSPORT_INDEX + 1;
    /** Every kind, and "unknown". */
    private static final int KINDS = KIND_VALUES.length + 1;
    private static final int OUTCOMES = Math.max(SentOutcome.values().length, ReceivedOutcome.values().length);
    private static final int FLOW_SLOTS = 2 * TRANSPORTS * KINDS * OUTCOMES;

    private final MeterRegistry registry;
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    /** Sent and received counters by topic, then by the other tags ({@link #flow}). */
    private final Map<String, AtomicReferenceArray<Counter>> flows = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

    public RpcMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts a message handed to (or refused by) a transport. */
    public void sent(TransportName transport, Kind kind, String topic, SentOutcome outcome) {
        flow(topic, SENT_FLOW, transport.ordinal(), kind.ordinal(), outcome.ordinal(), transport.tag(), kind.name(),
                outcome.tag()).increment();
    }

    /** Counts a message that no transport was tried for: no route, too many calls, too large. */
    public void unsent(Kind kind, String topic, SentOutcome outcome) {
        flow(topic, SENT_FLOW, NO_TRANSPORT_INDEX, kind.ordinal(), outcome.ordinal(), NO_TRANSPORT, kind.name(),
                outcome.tag()).increment();
    }

    /**
     * Counts a message that arrived, with what became of it.
     *
     * @param kind the envelope's kind, or {@code "unknown"} when it could not be read
     */
    public void received(TransportName transport, String kind, String topic, ReceivedOutcome outcome) {
        int kindIndex = kindIndex(kind);
        if (kindIndex < 0) {
            counter(RECEIVED, transport.tag(), kind, topic, outcome.tag()).increment();
            return;
        }
        flow(topic, RECEIVED_FLOW, transport.ordinal(), kindIndex, outcome.ordinal(), transport.tag(), kind,
                outcome.tag()).increment();
    }

    /**
     * The counter of sent or received messages with these tags. The hot path of every message: the
     * topic finds an array, and the other tags, closed sets, a place in it, so that counting takes
     * no key object and no comparison of five strings.
     */
    private Counter flow(String topic, int flow, int transport, int kind, int outcome, String transportTag,
                         String kindTag, String outcomeTag) {
        String topicTag = topic == null ? UNKNOWN_TOPIC : topic;
        AtomicReferenceArray<Counter> byTags = flows.get(topicTag);
        if (byTags == null) {
            byTags = flows.computeIfAbsent(topicTag, t -> new AtomicReferenceArray<>(FLOW_SLOTS));
        }
        int slot = ((flow * TRANSPORTS + transport) * KINDS + kind) * OUTCOMES + outcome;
        Counter counter = byTags.get(slot);
        if (counter == null) {
            // Registering twice from two threads is harmless: the registry hands out one meter per id.
            counter = counter(flow == SENT_FLOW ? SENT : RECEIVED, transportTag, kindTag, topicTag, outcomeTag);
            byTags.set(slot, counter);
        }
        return counter;
    }

    private Counter counter(String name, String transport, String kind, String topic, String outcome) {
        return counters.computeIfAbsent(new MeterKey(name, transport, kind, topic == null ? UNKNOWN_TOPIC : topic,
                        outcome),
                k -> Counter.builder(k.name())
                        .description(k.name().equals(SENT) ? "Messages sent, by transport and outcome"
                                : "Messages received, by transport and outcome")
                        .tags("transport", k.transport(), "kind", k.kind(), "topic", k.topic(),
                                "outcome", k.outcome())
                        .register(registry));
    }

    /** The place of a kind tag among the kinds, the last for "unknown", or -1 for any other string. */
    private static int kindIndex(String kind) {
        for (Kind k : KIND_VALUES) {
            if (k.name().equals(kind)) {
                return k.ordinal();
            }
        }
        return UNKNOWN_KIND.equals(kind) ? KIND_VALUES.length : -1;
    }

    /**
     * Records how long a call took from send to completion.
     *
     * @param transport the transport that carried it, or null when none did
     */
    public void callDuration(TransportName transport, String topic, CallOutcome outcome, long nanos) {
        timers.computeIfAbsent(new MeterKey(CALL_DURATION, transport == null ? NO_TRANSPORT : transport.tag(), "",
                        topic, outcome.tag()),
                k -> Timer.builder(CALL_DURATION)
                        .description("Call round trip, from send to result")
                        .tags("transport", k.transport(), "topic", k.topic(), "outcome", k.outcome())
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a message that left its first transport for another (issue: routing). */
    public void failover(String topic, String reason) {
        counters.computeIfAbsent(new MeterKey(FAILOVERS, "", "", topic, reason),
                k -> Counter.builder(FAILOVERS)
                        .description("Messages that failed over to another path")
                        .tags("topic", k.topic(), "reason", k.outcome())
                        .register(registry))
                .increment();
    }

    /** Counts a peer refused by authentication (CURVE): never tagged by peer, only by reason. */
    public void authRejected(TransportName transport, String reason) {
        counters.computeIfAbsent(new MeterKey(AUTH_REJECTED, transport.tag(), "", "", reason),
                k -> Counter.builder(AUTH_REJECTED)
                        .description("Connections refused by authentication")
                        .tags("transport", k.transport(), "reason", k.outcome())
                        .register(registry))
                .increment();
    }

    /**
     * The counter of incoming ZeroMQ connections a receiver closed for {@code reason}; taken once
     * and kept by the caller, which counts from a JeroMQ I/O thread.
     */
    public Counter zmqConnectionsClosed(String reason) {
        return Counter.builder(ZMQ_CONNECTIONS_CLOSED)
                .description("Incoming ZeroMQ connections closed by the receiver, by reason")
                .tags("reason", reason)
                .register(registry);
    }

    /** Registers a gauge of a count read on demand. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    /** Registers a gauge of a duration read on demand, in milliseconds. */
    public void timeGauge(String name, String description, Supplier<Number> millis) {
        TimeGauge.builder(name, millis, TimeUnit.MILLISECONDS).description(description)
                .strongReference(true).register(registry);
    }

    /** The number of messages counted under a meter name and tags, for tests and the actuator. */
    public double count(String name, String... tags) {
        double sum = 0;
        for (Counter c : registry.find(name).tags(tags).counters()) {
            sum += c.count();
        }
        return sum;
    }

    private record MeterKey(String name, String transport, String kind, String topic, String outcome) {
    }
}
