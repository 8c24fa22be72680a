package io.meshrpc.internal.client;

import io.meshrpc.transport.TransportName;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.meshrpc.api.HeartbeatTimeoutException;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RemoteException;
import io.meshrpc.api.RpcException;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.metrics.CallOutcome;
import io.meshrpc.metrics.ReceivedOutcome;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.transport.ReplyHandler;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls this node waits for, by id. A call leaves the table exactly once: with its reply, at
 * its deadline, or when it could not be delivered, whichever comes first; later arrivals (a reply
 * after the deadline, a second reply) find nothing and are counted as duplicates.
 *
 * <p>Deadlines are enforced by one sweep every {@link #SWEEP_MILLIS} ms rather than a timer task
 * per call: scheduling and cancelling a task per call cost a timer-thread wake-up per call, on the
 * latency path of every reply. A call therefore times out up to one sweep late.
 *
 * <p>A monitored call (its CALL names a {@code monitor} interval) also fails when its server has
 * been silent for two intervals since it was delivered or since its last HEARTBEAT: the server
 * sends one every interval while the call runs.
 */
public final class PendingCalls implements ReplyHandler {

    private final Map<String, Call<?>> calls = new ConcurrentHashMap<>();
    /** How often deadlines are checked. */
    public static final long SWEEP_MILLIS = 10;

    private final Executor callbacks;
    private final CallerSpin spin;
    private final JsonMapper mapper;
    private final RpcMetrics metrics;

    private final int maxInFlight;
    private final ScheduledExecutorService timer;

    public PendingCalls(ScheduledExecutorService timer, Executor callbacks, JsonMapper mapper, RpcMetrics metrics) {
        this(timer, callbacks, mapper, metrics, Integer.MAX_VALUE, null);
    }

    /**
     * @param maxInFlight most calls waiting for replies at once ({@code meshrpc.max-in-flight-calls})
     * @param spin        how a caller blocked on a result waits ({@code meshrpc.caller-spin}); null to park at once
     */
    public PendingCalls(ScheduledExecutorService timer, Executor callbacks, JsonMapper mapper, RpcMetrics metrics,
                        int maxInFlight, CallerSpin spin) {
        this.maxInFlight = maxInFlight;
        this.timer = timer;
        this.callbacks = callbacks;
        this.spin = spin;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /** Starts the deadline sweep; once, when the node starts (no call can be sent before). */
    public void start() {
        timer.scheduleWithFixedDelay(this::expireOverdue, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether the limit of calls waiting for replies is reached. */
    boolean full() {
        return calls.size() >= maxInFlight;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    /** Registers a call before it is sent, and arms its deadline. */
    <T> CompletableFuture<T> register(Envelope call, JavaType resultType, Duration timeout) {
        Call<T> pending = new Call<>(call, resultType, timeout, System.nanoTime());
        calls.put(call.id(), pending);
        return pending.future;
    }

    /** Records which transport carried the call, for its duration meter. */
    void delivered(String id, TransportName transport) {
        Call<?> call = calls.get(id);
        if (call != null) {
            call.lastHeardNanos = System.nanoTime();
            call.transport = transport;
        }
    }

    /** The call could not be delivered anywhere. */
    void undeliverable(String id, Throwable error) {
        Call<?> call = calls.remove(id);
        if (call != null) {
            call.finish(CallOutcome.NO_ROUTE);
            call.future.completeExceptionally(error instanceof RpcException ? error
                    : new NoRouteException(NoRouteException.Reason.TRANSPORT_UNAVAILABLE, String.valueOf(error)));
        }
    }

    /** Completes the call waiting for {@code reply}; one that no call waits for (it came after the deadline) is a duplicate. */
    @Override
    public void reply(Envelope reply, TransportName transport) {
        if (reply.kind() == Kind.HEARTBEAT) {
            heartbeat(reply, transport);
            return;
        }
        Call<?> call = calls.remove(reply.correlationId());
        metrics.received(transport, Kind.REPLY.name(), reply.topic() == null ? RpcMetrics.UNKNOWN_TOPIC : reply.topic(),
                call == null ? ReceivedOutcome.DUPLICATE : ReceivedOutcome.HANDLED);
        if (call != null) {
            call.transport = transport;
            call.resolve(reply);
        }
    }

    /** The server of a monitored call still works on it; for any other, nothing waits (a duplicate). */
    private void heartbeat(Envelope heartbeat, TransportName transport) {
        Call<?> call = calls.get(heartbeat.correlationId());
        if (call != null) {
            call.lastHeardNanos = System.nanoTime();
        }
        metrics.received(transport, Kind.HEARTBEAT.name(), heartbeat.topic() == null ? RpcMetrics.UNKNOWN_TOPIC
                : heartbeat.topic(), call == null ? ReceivedOutcome.DUPLICATE : ReceivedOutcome.HANDLED);
    }

    private void expireOverdue() {
        long now = System.nanoTime();
        for (Call<?> call : calls.values()) {
            if (now - call.startNanos >= call.timeout.toNanos()) {
                expire(call.request.id());
            } else if (call.silentSince(now)) {
                silent(call.request.id());
            }
        }
    }

    private void silent(String id) {
        Call<?> call = calls.remove(id);
        if (call != null) {
            call.finish(CallOutcome.TIMEOUT);
            Envelope e = call.request;
            Duration interval = Duration.ofMillis(e.monitor());
            call.future.completeExceptionally(new HeartbeatTimeoutException("No heartbeat for " + e.topic() + "."
                    + e.method() + " (call " + e.id() + ") for " + interval.multipliedBy(2).toMillis()
                    + " ms, twice its monitor interval: the server stopped answering while the call ran", interval));
        }
    }

    private void expire(String id) {
        Call<?> call = calls.remove(id);
        if (call != null) {
            call.finish(CallOutcome.TIMEOUT);
            Envelope e = call.request;
            call.future.completeExceptionally(new RpcTimeoutException("No reply to " + e.topic() + "." + e.method()
                    + " (call " + e.id() + ") within " + call.timeout.toMillis() + " ms", call.timeout));
        }
    }

    /** Fails every waiting call, when the node stops: no caller is left hanging. */
    public void failAll(String why) {
        for (String id : calls.keySet()) {
            Call<?> call = calls.remove(id);
            if (call != null) {
                call.finish(CallOutcome.NO_ROUTE);
                call.future.completeExceptionally(new NoRouteException(NoRouteException.Reason.TRANSPORT_UNAVAILABLE,
                        "Call " + call.request.topic() + "." + call.request.method() + " abandoned: " + why));
            }
        }
    }

    public int size() {
        return calls.size();
    }

    private final class Call<T> {
        final Envelope request;
        final JavaType resultType;
        final Duration timeout;
        final long startNanos;
        final CompletableFuture<T> future = new RpcFuture<>(callbacks, spin);
        /** The transport that carried it; null until one did. */
        volatile TransportName transport;
        /** When the server was last heard from (delivery, a HEARTBEAT); for a monitored call. */
        volatile long lastHeardNanos;

        Call(Envelope request, JavaType resultType, Duration timeout, long startNanos) {
            this.request = request;
            this.resultType = resultType;
            this.timeout = timeout;
            this.startNanos = startNanos;
        }

        void resolve(Envelope reply) {
            if (reply.error() != null) {
                finish(CallOutcome.REMOTE_ERROR);
                future.completeExceptionally(new RemoteException(reply.error().type(), reply.error().message(),
                        request.topic() + "." + request.method()));
                return;
            }
            T value;
            try {
                value = reply.result() == null || reply.result().isNull() ? null
                        : mapper.treeToValue(reply.result(), resultType);
            } catch (JacksonException ex) {
                finish(CallOutcome.ERROR);
                future.completeExceptionally(new RpcException("Result of " + request.topic() + "."
                        + request.method() + " is not a " + resultType.toCanonical() + ": " + ex.getOriginalMessage(), ex));
                return;
            }
            finish(CallOutcome.SUCCESS);
            future.complete(value);
        }

        /** Whether a monitored, delivered call has heard nothing from its server for two intervals. */
        boolean silentSince(long now) {
            return request.monitor() > 0 && transport != null
                    && now - lastHeardNanos >= TimeUnit.MILLISECONDS.toNanos(2 * request.monitor());
        }

        void finish(CallOutcome outcome) {
            metrics.callDuration(transport, request.topic(), outcome, System.nanoTime() - startNanos);
        }
    }
}
