package io.meshrpc.gateway.rpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

import io.meshrpc.api.Failures;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.gateway.GatewayProperties;
import io.meshrpc.gateway.errors.UpstreamException;
import io.meshrpc.gateway.servers.Cloud;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.SchedulerApi;

/**
 * The {@link Cloud} over the mesh: the other services as the gateway calls them, asynchronous (no
 * servlet thread waits on the network), each with the gateway's deadline, each failure wrapped in
 * an {@link UpstreamException} naming the service and method.
 *
 * <p>The wire names come from the shared interfaces in {@code services-api}; the typed proxies are
 * not used here because their asynchronous form has no per-call deadline and their casts block.
 */
@Component
public class RpcCloud implements Cloud {

    private final RpcClient rpc;
    private final GatewayProperties properties;

    public RpcCloud(RpcClient rpc, GatewayProperties properties) {
        this.rpc = rpc;
        this.properties = properties;
    }

    @Override
    public CompletableFuture<Destination> selectDestination(BuildRequest request) {
        return call(Target.topic(SchedulerApi.TOPIC), SchedulerApi.SELECT_DESTINATION, request, Destination.class,
                properties.rpcTimeout());
    }

    @Override
    public CompletableFuture<Void> buildInstance(String host, InstanceSpec spec) {
        return cast(Target.topic(ComputeApi.TOPIC).server(host), ComputeApi.BUILD_INSTANCE, spec);
    }

    @Override
    public CompletableFuture<Void> deleteInstance(String host, String instanceId) {
        return cast(Target.topic(ComputeApi.TOPIC).server(host), ComputeApi.DELETE_INSTANCE, instanceId);
    }

    @Override
    public CompletableFuture<InstanceInfo> describeInstance(String host, String instanceId) {
        return call(Target.topic(ComputeApi.TOPIC).server(host), ComputeApi.DESCRIBE_INSTANCE, instanceId,
                InstanceInfo.class, properties.describeTimeout());
    }

    @Override
    public CompletableFuture<ConsoleEndpoint> getConsole(String host, String instanceId) {
        return call(Target.topic(ComputeApi.TOPIC).server(host), ComputeApi.GET_CONSOLE, instanceId,
                ConsoleEndpoint.class, properties.rpcTimeout());
    }

    @Override
    public CompletableFuture<ConsoleToken> authorizeConsole(ConsoleEndpoint console) {
        return call(Target.topic(ConsoleauthApi.TOPIC).version(ConsoleauthApi.VERSION), ConsoleauthApi.AUTHORIZE_CONSOLE, console, ConsoleToken.class,
                properties.rpcTimeout());
    }

    private <T> CompletableFuture<T> call(Target target, String method, Object arg, Class<T> type, Duration timeout) {
        return wrap(rpc.call(target, method, arg, type, timeout), target, method, timeout);
    }

    /**
     * A cast completes once the receiver (or the broker) accepted it; the deadline is a safety net
     * so an HTTP request can never wait on a transport longer than the gateway's budget.
     */
    private CompletableFuture<Void> cast(Target target, String method, Object arg) {
        return wrap(rpc.cast(target, method, arg), target, method, properties.rpcTimeout());
    }

    private static <T> CompletableFuture<T> wrap(CompletableFuture<T> future, Target target, String method,
                                                 Duration timeout) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.orTimeout(timeout.toMillis() + 100, TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = Failures.unwrap(error);
            if (cause instanceof TimeoutException) {
                cause = new RpcTimeoutException(method + " on " + target + " got no answer within " + timeout, timeout);
            }
            result.completeExceptionally(new UpstreamException(target.topic(), method, cause));
        });
        return result;
    }
}
