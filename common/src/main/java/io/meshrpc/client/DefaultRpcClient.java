package io.meshrpc.client;

import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.meshrpc.api.Failures;
import io.meshrpc.api.MessageTooLargeException;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.Target;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.metrics.SentOutcome;
import io.meshrpc.routing.DeliveryRouter;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.IdGenerator;
import io.meshrpc.wire.Kind;

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

    public DefaultRpcClient(String nodeId, EnvelopeCodec codec, DeliveryRouter router, PendingCalls pendingCalls,
                            RpcMetrics metrics, IdGenerator ids, Duration defaultTimeout, Executor callbacks) {
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
        if (target.fanout()) {
            return fanout(target.topic(), method, args);
        }
        Envelope envelope = request(Kind.CAST, target, method, 0);
        return send(envelope, args, frame -> router.deliver(target, envelope, frame, 0));
    }

    @Override
    public CompletableFuture<Void> fanout(String topic, String method, Object... args) {
        Target target = Target.fanout(topic);
        Envelope envelope = request(Kind.CAST, target, method, 0);
        return send(envelope, args, frame -> router.fanout(topic, envelope, frame));
    }

    @Override
    public <T> CompletableFuture<T> invoke(Target target, String method, Type resultType, Duration timeout,
                                           Object... args) {
        if (target.fanout()) {
            return failed(new IllegalArgumentException(
                    "A call expects one reply and cannot go to a fanout target (" + target + "); use fanout()"));
        }
        Duration effective = timeout == null ? defaultTimeout : timeout;
        if (effective.isNegative() || effective.isZero()) {
            return failed(new IllegalArgumentException("Call timeout must be positive, was " + effective));
        }
        long deadline = System.currentTimeMillis() + effective.toMillis();
        Envelope envelope = request(Kind.CALL, target, method, deadline);
        byte[] frame;
        try {
            frame = encode(envelope, args);
        } catch (MessageTooLargeException ex) {
            return tooLarge(envelope, ex);
        }
        CompletableFuture<T> result = pendingCalls.register(envelope,
                codec.mapper().constructType(resultType), effective);
        router.deliver(target, envelope, frame, deadline).whenComplete((transport, error) -> {
            if (error != null) {
                pendingCalls.undeliverable(envelope.id(), Failures.unwrap(error));
            } else {
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
        Target target = server == null ? Target.topic(annotation.topic()) : Target.topic(annotation.topic()).server(server);
        Object proxy = Proxy.newProxyInstance(rpcInterface.getClassLoader(), new Class<?>[] {rpcInterface},
                new RpcProxyHandler(this, target));
        return rpcInterface.cast(proxy);
    }

    /** The envelope's header; the arguments are written by the codec straight from the objects. */
    private Envelope request(Kind kind, Target target, String method, long deadline) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("method name is required");
        }
        return Envelope.request(ids.next(), kind, target.topic(), target.server(), target.fanout(), method, null,
                Map.of(), kind == Kind.CALL ? nodeId : null, deadline, nodeId);
    }


    /** Encodes a cast and hands the frame to {@code delivery}; the caller's future follows it. */
    private CompletableFuture<Void> send(Envelope envelope, Object[] args,
                                         Function<byte[], CompletableFuture<?>> delivery) {
        byte[] frame;
        try {
            frame = encode(envelope, args);
        } catch (MessageTooLargeException ex) {
            return tooLarge(envelope, ex);
        }
        return toCaller(delivery.apply(frame));
    }

    private byte[] encode(Envelope envelope, Object[] args) {
        return codec.encode(envelope, args == null ? new Object[0] : args);
    }

    private <T> CompletableFuture<T> tooLarge(Envelope envelope, MessageTooLargeException ex) {
        metrics.sent("none", envelope.kind().name(), envelope.topic(), SentOutcome.TOO_LARGE);
        return failed(ex);
    }

    /**
     * The caller's view of an internal delivery future: an {@link RpcFuture}, so that the caller's
     * dependents never run on the I/O thread that completes the delivery.
     */
    private CompletableFuture<Void> toCaller(CompletableFuture<?> delivery) {
        RpcFuture<Void> result = new RpcFuture<>(callbacks);
        delivery.whenComplete((ok, error) -> {
            if (error == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(Failures.unwrap(error));
            }
        });
        return result;
    }

    private <T> CompletableFuture<T> failed(Throwable error) {
        RpcFuture<T> result = new RpcFuture<>(callbacks);
        result.completeExceptionally(error);
        return result;
    }

}
