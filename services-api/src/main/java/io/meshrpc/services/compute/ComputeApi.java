package io.meshrpc.services.compute;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;

/**
 * A compute agent (topic {@code compute}, server = the agent's node id): a hypervisor that runs
 * instances. Builds and deletes are casts, as in Nova: the caller learns the outcome from the
 * agent's state-change notifications to topic {@code gateway}, not from a reply.
 */
@RpcInterface(topic = ComputeApi.TOPIC)
public interface ComputeApi {

    String TOPIC = "compute";
    String BUILD_INSTANCE = "build_instance";
    String DELETE_INSTANCE = "delete_instance";
    String DESCRIBE_INSTANCE = "describe_instance";
    String GET_CONSOLE = "get_console";

    /** Starts building the instance; refused (state ERROR) when the host has no room left. */
    @RpcMethod(BUILD_INSTANCE)
    void buildInstance(InstanceSpec spec);

    /** Deletes the instance and frees its resources; unknown ids are ignored (deletes are retried). */
    @RpcMethod(DELETE_INSTANCE)
    void deleteInstance(String instanceId);

    /**
     * The instance as this host sees it.
     *
     * @throws InstanceNotFoundException when the host does not hold it
     */
    @RpcMethod(DESCRIBE_INSTANCE)
    InstanceInfo describeInstance(String instanceId);

    /**
     * Where the instance's console listens.
     *
     * @throws InstanceNotFoundException when the host does not hold it
     * @throws IllegalStateException     when the instance is not active yet
     */
    @RpcMethod(GET_CONSOLE)
    ConsoleEndpoint getConsole(String instanceId);
}
