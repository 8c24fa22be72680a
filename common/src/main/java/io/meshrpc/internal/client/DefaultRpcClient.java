package io.meshrpc.internal.client;

import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.meshrpc.api.CallOptions;
import io.meshrpc.api.Failures;
import io.meshrpc.api.MessageTooLargeException;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.Target;
import io.meshrpc.api.Version;
import io.meshrpc.api.VersionCapException;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.metrics.SentOutcome;
import io.meshrpc.observation.DefaultMeshrpcSenderObservationConvention;
import io.meshrpc.observation.MeshrpcObservation;
import io.meshrpc.observation.MeshrpcSenderContext;
import io.meshrpc.observation.MeshrpcSenderObservationConvention;
import io.meshrpc.internal.routing.DeliveryRouter;
import io.meshrpc.transport.OutboundMessage;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.IdGenerator;
import io.meshrpc.wire.Kind;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The {@link RpcClient} of a node: builds envelopes, encodes them on the caller's thread (so size
 * errors are immediate and the I/O thread only moves bytes), and hands them to the router.
 */
public final class DefaultRpcClient implements RpcClient {

    private final String nodeId;
    private final EnvelopeCodec codec;
    private final DeliveryRouter router;
    private final PendingCalls pendingCalls;
    private final RpcMetrics metrics;
    private final IdGenerator ids;
    private final Duration defaultTimeout;
    private final Executor callbacks;
    private final ObservationRegistry observations;
    private final MeshrpcSenderObservationConvention convention;
    private final VersionCaps versionCaps;

    public DefaultRpcClient(String nodeId, EnvelopeCodec codec, DeliveryRouter router, PendingCalls pendingCalls,
                            RpcMetrics metrics, IdGenerator ids, Duration defaultTimeout, Executor callbacks) {
        this(nodeId, codec, router, pendingCalls, metrics, ids, defaultTimeout, callbacks, ObservationRegistry.NOOP,
                null, VersionCaps.NONE);
    }

    /**
     * @param observations where {@link MeshrpcObservation#SEND} observations go; {@code NOOP} for none
     * @param convention   a custom convention, or {@code null} for the default one
     * @param versionCaps  the highest version sent per topic
     */
    public DefaultRpcClient(String nodeId, EnvelopeCodec codec, DeliveryRouter router, PendingCalls pendingCalls,
                            RpcMetrics metrics, IdGenerator ids, Duration defaultTimeout, Executor callbacks,
                            ObservationRegistry observations, MeshrpcSenderObservationConvention convention,
                            VersionCaps versionCaps) {
        this.versionCaps = versionCaps;
        this.observations = observations == null ? ObservationRegistry.NOOP : observations;
        this.convention = convention;
        this.nodeId = nodeId;
        this.codec = codec;
        this.router = router;
        this.pendingCalls = pendingCalls;
        this.metrics = metrics;
        this.ids = ids;
        this.defaultTimeout = defaultTimeout;
        this.callbacks = callbacks;
    }

    @Override
    public CompletableFuture<Void> cast(Target target, String method, Object... args) {
        return cast(target, CallOptions.NONE, method, args);
    }

    @Override
    public CompletableFuture<Void> cast(Target target, CallOptions options, String method, Object... args) {
        VersionCapException aboveCap = versionCaps.refusal(target, options.versionCap());
        if (aboveCap != null) {
            return failed(aboveCap);
        }
        if (target.fanout()) {
            return fanoutTo(target, options, method, args);
        }
        if (!observations.isNoop()) {
            return observedCast(target, options, method, args, "cast");
        }
        Envelope envelope = request(Kind.CAST, target, method, 0, Map.of());
        if (options.castRetries() > 0) {
            return send(envelope, args, (message, result) -> result.follow(deliverCast(target, message, options)));
        }
        return send(envelope, args, (message, result) -> router.deliver(target, message, options.policy(), result));
    }

    @Override
    public CompletableFuture<Void> fanout(String topic, String method, Object... args) {
        return fanoutTo(Target.fanout(topic), CallOptions.NONE, method, args);
    }

    private CompletableFuture<Void> fanoutTo(Target target, CallOptions options, String method, Object[] args) {
        if (!observations.isNoop()) {
            return observedCast(target, options, method, args, "fanout");
        }
        Envelope envelope = request(Kind.CAST, target, method, 0, Map.of());
        return send(envelope, args,
                (message, result) -> result.follow(router.fanout(target.topic(), message, options.policy())));
    }

    /**
     * A cast to a topic or a server, sent again (the same bytes and id) after a back-off while it
     * is not delivered and retries are left. A fanout is not retried: some of its nodes took it.
     */
    private CompletableFuture<TransportName> deliverCast(Target target, OutboundMessage message, CallOptions options) {
        if (options.castRetries() == 0) {
            return router.deliver(target, message, options.policy());
        }
        CompletableFuture<TransportName> result = new CompletableFuture<>();
        attempt(target, message, options, 0, result);
        return result;
    }

    private void attempt(Target target, OutboundMessage message, CallOptions options, int retry,
                         CompletableFuture<TransportName> result) {
        router.deliver(target, message, options.policy()).whenComplete((transport, error) -> {
            if (error == null) {
                result.complete(transport);
            } else if (retry < options.castRetries() && Failures.unwrap(error) instanceof NoRouteException) {
                long wait = CallOptions.backoff(retry + 1).toMillis();
                CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)
                        .execute(() -> attempt(target, message, options, retry + 1, result));
            } else {
                result.completeExceptionally(Failures.unwrap(error));
            }
        });
    }

    @Override
    public boolean canSendVersion(String topic, String version) {
        return versionCaps.allows(topic, Version.parse(version));
    }

    /**
     * A cast or fanout inside a {@code meshrpc.send} observation: started before the envelope is
     * built (propagating handlers write the trace context into its {@code ctx}), stopped when the
     * delivery is acknowledged or confirmed, or fails.
     */
    private CompletableFuture<Void> observedCast(Target target, CallOptions options, String method, Object[] args,
                                                 String kind) {
        Map<String, String> ctx = new HashMap<>(4);
        String id = ids.next();
        Observation observation = startSend(ctx, id, target, method, kind);
        MeshrpcSenderContext context = observation.getContext() instanceof MeshrpcSenderContext c ? c : null;
        boolean[] handedOver = {false};
        CompletableFuture<Void> result;
        try {
            Envelope envelope = request(id, Kind.CAST, target, method, 0, ctx);
            result = send(envelope, args, (message, outcome) -> {
                handedOver[0] = true;
                CompletableFuture<?> delivery = target.fanout()
                        ? router.fanout(target.topic(), message, options.policy())
                        : deliverCast(target, message, options);
                delivery.whenComplete((transport, error) -> {
                    if (context != null && transport instanceof TransportName name) {
                        context.transport(name.tag());
                    }
                    stopSend(observation, error);
                });
                outcome.follow(delivery);
            });
        } catch (RuntimeException ex) {
            stopSend(observation, ex);
            throw ex;
        }
        if (!handedOver[0]) {
            result.whenComplete((ok, error) -> stopSend(observation, error));
        }
        return result;
    }

    private Observation startSend(Map<String, String> ctx, String id, Target target, String method, String kind) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("method name is required");
        }
        return MeshrpcObservation.SEND.observation(convention, DefaultMeshrpcSenderObservationConvention.INSTANCE,
                () -> new MeshrpcSenderContext(ctx, id, target.topic(), method, kind, target.server()), observations)
                .start();
    }

    private static void stopSend(Observation observation, Throwable error) {
        if (error != null) {
            observation.error(Failures.unwrap(error));
        }
        observation.stop();
    }

    @Override
    public <T> CompletableFuture<T> invoke(Target target, String method, Type resultType, Duration timeout,
                                           Object... args) {
        return invoke(target, CallOptions.NONE, timeout, method, resultType, args);
    }

    @Override
    public <T> CompletableFuture<T> invoke(Target target, CallOptions options, String method, Type resultType,
                                           Object... args) {
        return invoke(target, options, options.timeout(), method, resultType, args);
    }

    private <T> CompletableFuture<T> invoke(Target target, CallOptions options, Duration timeout, String method,
                                            Type resultType, Object[] args) {
        if (target.fanout()) {
            return failed(new IllegalArgumentException(
                    "A call expects one reply and cannot go to a fanout target (" + target + "); use fanout()"));
        }
        VersionCapException aboveCap = versionCaps.refusal(target, options.versionCap());
        if (aboveCap != null) {
            return failed(aboveCap);
        }
        Duration effective = timeout == null ? defaultTimeout : timeout;
        if (effective.isNegative() || effective.isZero()) {
            return failed(new IllegalArgumentException("Call timeout must be positive, was " + effective));
        }
        long deadline = System.currentTimeMillis() + effective.toMillis();
        if (observations.isNoop()) {
            return call(monitored(request(Kind.CALL, target, method, deadline, Map.of()), options), target,
                    options.policy(), resultType, effective, args, null);
        }
        Map<String, String> ctx = new HashMap<>(4);
        String id = ids.next();
        Observation observation = startSend(ctx, id, target, method, "call");
        CompletableFuture<T> result;
        try {
            result = call(monitored(request(id, Kind.CALL, target, method, deadline, ctx), options), target,
                    options.policy(), resultType, effective, args, observation);
        } catch (RuntimeException ex) {
            stopSend(observation, ex);
            throw ex;
        }
        result.whenComplete((value, error) -> stopSend(observation, error));
        return result;
    }

    private <T> CompletableFuture<T> call(Envelope envelope, Target target, DeliveryPolicy policy, Type resultType,
                                          Duration timeout, Object[] args, Observation observation) {
        if (pendingCalls.full()) {
            metrics.unsent(envelope.kind(), envelope.topic(), SentOutcome.ERROR);
            return failed(new NoRouteException(NoRouteException.Reason.TOO_MANY_IN_FLIGHT, "Node " + nodeId
                    + " already has " + pendingCalls.maxInFlight() + " calls waiting for replies "
                    + "(meshrpc.max-in-flight-calls); " + envelope.topic() + "." + envelope.method() + " not sent"));
        }
        OutboundMessage message;
        try {
            message = encode(envelope, args);
        } catch (MessageTooLargeException ex) {
            return tooLarge(envelope, ex);
        }
        CompletableFuture<T> result = pendingCalls.register(envelope,
                codec.mapper().constructType(resultType), timeout);
        router.deliver(target, message, policy).whenComplete((transport, error) -> {
            if (error != null) {
                pendingCalls.undeliverable(envelope.id(), Failures.unwrap(error));
            } else {
                if (observation != null
                        && observation.getContext() instanceof MeshrpcSenderContext context) {
                    context.transport(transport.tag());
                }
                pendingCalls.delivered(envelope.id(), transport);
            }
        });
        return result;
    }

    @Override
    public <T> T proxy(Class<T> rpcInterface) {
        return proxy(rpcInterface, null);
    }

    @Override
    public <T> T proxy(Class<T> rpcInterface, String server) {
        RpcInterface annotation = rpcInterface.getAnnotation(RpcInterface.class);
        if (!rpcInterface.isInterface() || annotation == null) {
            throw new IllegalArgumentException(rpcInterface.getName() + " must be an interface annotated with @RpcInterface");
        }
        Target target = Target.topic(annotation.topic())
                .namespace(annotation.namespace().isEmpty() ? null : annotation.namespace())
                .version(annotation.version().isEmpty() ? null : annotation.version());
        if (server != null) {
            target = target.server(server);
        }
        Object proxy = Proxy.newProxyInstance(rpcInterface.getClassLoader(), new Class<?>[] {rpcInterface},
                new RpcProxyHandler(this, target));
        return rpcInterface.cast(proxy);
    }

    private static Envelope monitored(Envelope call, CallOptions options) {
        return options.callMonitor() == null ? call : call.withMonitor(options.callMonitor().toMillis());
    }

    /** The envelope's header; the arguments are written by the codec straight from the objects. */
    private Envelope request(Kind kind, Target target, String method, long deadline, Map<String, String> ctx) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("method name is required");
        }
        return request(ids.next(), kind, target, method, deadline, ctx);
    }

    private Envelope request(String id, Kind kind, Target target, String method, long deadline,
                             Map<String, String> ctx) {
        Envelope header = Envelope.request(id, kind, target.topic(), target.server(), target.fanout(), method, null,
                ctx, kind == Kind.CALL ? nodeId : null, deadline, nodeId);
        if (target.namespace() == null && target.version() == null) {
            return header;
        }
        return header.withInterface(target.namespace(), target.version() == null ? null : target.version().toString());
    }


    /**
     * Encodes a cast and hands it to {@code delivery} with the caller's future, which the delivery
     * completes (the router reports to it directly, other paths through {@link CastResult#follow}).
     */
    private CompletableFuture<Void> send(Envelope envelope, Object[] args,
                                         BiConsumer<OutboundMessage, CastResult> delivery) {
        OutboundMessage message;
        try {
            message = encode(envelope, args);
        } catch (MessageTooLargeException ex) {
            return tooLarge(envelope, ex);
        }
        CastResult result = new CastResult(callbacks);
        delivery.accept(message, result);
        return result;
    }

    private OutboundMessage encode(Envelope envelope, Object[] args) {
        return new OutboundMessage(codec.encodeRequest(envelope, args));
    }

    private <T> CompletableFuture<T> tooLarge(Envelope envelope, MessageTooLargeException ex) {
        metrics.unsent(envelope.kind(), envelope.topic(), SentOutcome.TOO_LARGE);
        return failed(ex);
    }

    private <T> CompletableFuture<T> failed(Throwable error) {
        RpcFuture<T> result = new RpcFuture<>(callbacks);
        result.completeExceptionally(error);
        return result;
    }

}
