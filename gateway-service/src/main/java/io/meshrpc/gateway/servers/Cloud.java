package io.meshrpc.gateway.servers;

import java.util.concurrent.CompletableFuture;

import io.meshrpc.gateway.errors.UpstreamException;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.Destination;

/**
 * The other services as the servers' lifecycle needs them: the scheduler, the compute agents and
 * consoleauth. Each answer is asynchronous and each failure an {@link UpstreamException} naming
 * the service and method.
 *
 * <p>Declared here and implemented by {@code rpc.RpcCloud}, so that {@code servers} does not
 * depend on the mesh adapter while that adapter's inbound endpoint depends on {@code servers}:
 * the dependency points one way, from {@code rpc} to {@code servers}.
 */
public interface Cloud {

    CompletableFuture<Destination> selectDestination(BuildRequest request);

    CompletableFuture<Void> buildInstance(String host, InstanceSpec spec);

    CompletableFuture<Void> deleteInstance(String host, String instanceId);

    CompletableFuture<InstanceInfo> describeInstance(String host, String instanceId);

    CompletableFuture<ConsoleEndpoint> getConsole(String host, String instanceId);

    CompletableFuture<ConsoleToken> authorizeConsole(ConsoleEndpoint console);
}
