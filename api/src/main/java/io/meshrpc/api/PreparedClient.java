package io.meshrpc.api;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * A client bound to one target with per-call overrides, as oslo.messaging's
 * {@code client.prepare(timeout=..., version_cap=..., retry=...)}: each override returns a new,
 * immutable prepared client, so one can be kept and shared.
 *
 * <pre>{@code
 * rpc.prepare(Target.topic("compute").server("compute-3"))
 *    .timeout(Duration.ofSeconds(5)).policy(DeliveryPolicy.AMQP)
 *    .call("describe_instance", InstanceView.class, "i-1");
 * }</pre>
 */
public final class PreparedClient {

    private final RpcClient client;
    private final Target target;
    private final CallOptions options;

    PreparedClient(RpcClient client, Target target, CallOptions options) {
        this.client = client;
        this.target = target;
        this.options = options;
    }

    public Target target() {
        return target;
    }

    public CallOptions options() {
        return options;
    }

    /** The deadline of each call, instead of the node's {@code meshrpc.call-timeout}. */
    public PreparedClient timeout(Duration timeout) {
        return new PreparedClient(client, target, options.withTimeout(timeout));
    }

    /** The highest version sent, instead of the node's {@code meshrpc.version-caps.<topic>}. */
    public PreparedClient versionCap(String cap) {
        return new PreparedClient(client, target, options.withVersionCap(Version.parse(cap)));
    }

    /** The version the target asks for ({@code major.minor}). */
    public PreparedClient version(String version) {
        return new PreparedClient(client, target.version(version), options);
    }

    /** How many times more a cast that was not delivered is sent again, with a back-off. */
    public PreparedClient castRetries(int retries) {
        return new PreparedClient(client, target, options.withCastRetries(retries));
    }

    /**
     * Monitors each call: its server sends a heartbeat every {@code interval} while the call runs,
     * and the call fails with {@link HeartbeatTimeoutException} after two intervals without one,
     * instead of at its deadline (oslo.messaging's {@code call_monitor_timeout}). The server must be
     * of this release or later: an older one sends no heartbeats.
     */
    public PreparedClient callMonitor(Duration interval) {
        return new PreparedClient(client, target, options.withCallMonitor(interval));
    }

    /** The delivery policy, instead of the target's configured one. */
    public PreparedClient policy(DeliveryPolicy policy) {
        return new PreparedClient(client, target, options.withPolicy(policy));
    }

    /** Whether this prepared client may send {@code version}: within its cap, or the node's. */
    public boolean canSendVersion(String version) {
        return options.versionCap() != null ? Version.parse(version).compareTo(options.versionCap()) <= 0
                : client.canSendVersion(target.topic(), version);
    }

    public CompletableFuture<Void> cast(String method, Object... args) {
        return client.cast(target, options, method, args);
    }

    public <T> CompletableFuture<T> call(String method, Type resultType, Object... args) {
        return client.invoke(target, options, method, resultType, args);
    }
}
