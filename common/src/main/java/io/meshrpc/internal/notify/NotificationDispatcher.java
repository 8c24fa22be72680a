package io.meshrpc.internal.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.api.Notification;
import io.meshrpc.internal.server.DedupWindow;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.NotificationHandler;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.WireFormatException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands the events of this node's listener pools to their listeners, off the transport's thread:
 * once per pool (a dedup window per pool), only what the listener subscribed to and its filter lets
 * through, on a small bounded pool of threads. An event the queue cannot take is refused: back to the
 * broker, or to its ZeroMQ publisher, for another member of the pool.
 */
public final class NotificationDispatcher implements NotificationHandler {

    /** Received events, by outcome: handled, filtered, duplicate, error (the listener threw), rejected (unreadable). */
    public static final String RECEIVED = "meshrpc.notifications.received";

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
    private static final int THREADS = 2;
    private static final int QUEUE = 10_000;
    private static final int DEDUP_WINDOW = 10_000;

    private final List<Subscription> subscriptions;
    private final List<DedupWindow> dedup = new ArrayList<>();
    private final JsonMapper mapper;
    private final MeterRegistry registry;
    private final ThreadPoolExecutor workers;
    private volatile boolean draining;

    public NotificationDispatcher(String nodeId, List<Subscription> subscriptions, JsonMapper mapper,
                                  MeterRegistry registry) {
        this.subscriptions = List.copyOf(subscriptions);
        this.mapper = mapper;
        this.registry = registry;
        for (int i = 0; i < subscriptions.size(); i++) {
            dedup.add(new DedupWindow(DEDUP_WINDOW));
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "meshrpc-notify-" + nodeId + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Refuses events from now on ({@link Acceptance#DRAINING}): the node is stopping. */
    public void stopAccepting() {
        draining = true;
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    @Override
    public Acceptance accept(int subscription, Envelope envelope, TransportName transport) {
        if (draining) {
            return Acceptance.DRAINING;
        }
        Subscription s = subscriptions.get(subscription);
        Notification n;
        try {
            n = NotificationMessage.read(envelope);
        } catch (WireFormatException ex) {
            count(s, "unknown", "rejected", transport);
            log.debug("Dropped an unreadable notification for pool {}: {}", s.pool(), ex.getMessage());
            return Acceptance.ACCEPTED;
        }
        String priority = n.priority().wireName();
        if (!s.accepts(n)) {
            count(s, priority, "filtered", transport);
            return Acceptance.ACCEPTED;
        }
        DedupWindow window = dedup.get(subscription);
        if (!window.firstSeen(n.id())) {
            count(s, priority, "duplicate", transport);
            return Acceptance.DUPLICATE;
        }
        try {
            workers.execute(() -> handle(s, n, envelope, transport));
            return Acceptance.ACCEPTED;
        } catch (RejectedExecutionException ex) {
            window.forget(n.id());
            return workers.isShutdown() ? Acceptance.DRAINING : Acceptance.OVERLOADED;
        }
    }

    @Override
    public void unreadable(int subscription, TransportName transport, String reason) {
        Subscription s = subscriptions.get(subscription);
        count(s, "unknown", "rejected", transport);
        log.debug("Dropped an unreadable message for pool {}: {}", s.pool(), reason);
    }

    private void handle(Subscription s, Notification n, Envelope envelope, TransportName transport) {
        try {
            s.handle(n, NotificationMessage.payload(envelope), mapper);
            count(s, n.priority().wireName(), "handled", transport);
        } catch (Exception ex) {
            count(s, n.priority().wireName(), "error", transport);
            log.warn("Listener of pool {} failed on {} ({}): {}", s.pool(), n.eventType(), n.id(), ex.toString());
        }
    }

    private void count(Subscription s, String priority, String outcome, TransportName transport) {
        Counter.builder(RECEIVED).description("Notifications received by this node's listener pools")
                .tag("topic", s.topic()).tag("pool", s.pool()).tag("priority", priority).tag("outcome", outcome)
                .tag("transport", transport.tag())
                .register(registry).increment();
    }

    /** Stops taking events; those queued still run for up to {@code millis}. */
    public void stop(long millis) throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
