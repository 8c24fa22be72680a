package io.meshrpc.services.compute;

/**
 * An instance as its host sees it.
 *
 * @param id     the instance id
 * @param name   its name
 * @param vcpus  virtual CPUs it holds
 * @param ramMb  memory it holds, MiB
 * @param host   the agent's node id
 * @param status its state on the host
 */
public record InstanceInfo(String id, String name, int vcpus, int ramMb, String host, InstanceStatus status) {
}
