package io.meshrpc.api;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The one bean an application uses to talk to other services.
 *
 * <p>Every method is asynchronous and never blocks on the network: the returned future completes
 * when the receiving side accepted the message (a cast), or when the reply arrived (a call). A
 * future always completes: with a value, or with one of the {@link RpcException} subclasses
 * ({@link RemoteException}, {@link NoRouteException}, {@link RpcTimeoutException},
 * {@link MessageTooLargeException}), so a caller never hangs.
 *
 * <p>Which transport carries a message (ZeroMQ straight to the node, or the AMQP broker) is
 * decided per target by the node's routing policy, not by the caller: application code is the same
 * whichever path is used, which is what lets an operator migrate a fleet without touching it.
 *
 * <p>Arguments and results are mapped with Jackson: records, collections and plain values work.
 */
public interface RpcClient {

    /**
     * Sends a one-way message. The future completes when the receiving node acknowledged it (it is
     * queued for dispatch there); the handler's outcome is not reported back.
     */
    CompletableFuture<Void> cast(Target target, String method, Object... args);

    /**
     * Sends a one-way message to every node of {@code topic}. The future completes when every node
     * acknowledged; if some did not, it fails with a {@link NoRouteException} naming them, while
     * the nodes that did acknowledge still handle the message.
     */
    CompletableFuture<Void> fanout(String topic, String method, Object... args);

    /**
     * Calls {@code method} with one argument and waits at most {@code timeout} for the result.
     */
    default <T> CompletableFuture<T> call(Target target, String method, Object arg, Class<T> resultType,
                                          Duration timeout) {
        return invoke(target, method, resultType, timeout, arg);
    }

    /** Calls {@code method} with one argument and the node's default call timeout. */
    default <T> CompletableFuture<T> call(Target target, String method, Object arg, Class<T> resultType) {
        return invoke(target, method, resultType, null, arg);
    }

    /**
     * The general form of a call: any number of arguments (none included) and any result type,
     * generic ones such as {@code List<HostRef>} too.
     *
     * @param timeout the deadline of the call, or {@code null} for the node's default
     */
    <T> CompletableFuture<T> invoke(Target target, String method, Type resultType, Duration timeout,
                                    Object... args);

    /**
     * A typed client for an interface annotated with {@link RpcInterface}: each interface method is
     * a call to the remote method of the same name (a cast when it returns {@code void}). Methods
     * returning {@link CompletableFuture} are asynchronous; others block until the result arrives
     * and rethrow the {@link RpcException} unwrapped.
     */
    <T> T proxy(Class<T> rpcInterface);

    /** A typed client narrowed to one server of the interface's topic. */
    <T> T proxy(Class<T> rpcInterface, String server);

    /**
     * Whether this node may send {@code version} ({@code major.minor}) to {@code topic}: true unless
     * a cap is set for the topic ({@code meshrpc.version-caps.<topic>}) and the version is above it.
     * A message above the cap fails with {@link VersionCapException} without being sent; this is
     * oslo.messaging's {@code can_send_version}, for code that picks the newest version it may use.
     */
    boolean canSendVersion(String topic, String version);

    /**
     * Reaches the receiver of the target's node (or of one node of its topic) without touching an
     * endpoint: the node answers {@link Ping#METHOD} with its id, as soon as a worker takes it. For
     * operators and health probes: it passes through the same routing, transport, queue and reply
     * path as a call, and fails the same ways (the node's queue full, the node draining, no node).
     */
    default CompletableFuture<Ping> ping(Target target) {
        long start = System.nanoTime();
        return this.<String>invoke(target, Ping.METHOD, String.class, null)
                .thenApply(node -> new Ping(node, java.time.Duration.ofNanos(System.nanoTime() - start)));
    }

    /**
     * A client for {@code target} with per-call overrides (timeout, version cap, cast retries,
     * delivery policy), as oslo.messaging's {@code prepare(...)}.
     */
    default PreparedClient prepare(Target target) {
        return new PreparedClient(this, target, CallOptions.NONE);
    }

    /** A cast with {@code options} overriding the node's settings for this message. */
    CompletableFuture<Void> cast(Target target, CallOptions options, String method, Object... args);

    /** A call with {@code options} overriding the node's settings for this call. */
    <T> CompletableFuture<T> invoke(Target target, CallOptions options, String method, Type resultType,
                                    Object... args);
}
