package io.meshrpc.services.compute;

/**
 * Where an instance's console listens on its host (the simulated VNC server of the hypervisor).
 *
 * @param instanceId the instance
 * @param host       the agent's node id
 * @param protocol   the console protocol, {@code vnc}
 * @param port       the console's port on the host
 */
public record ConsoleEndpoint(String instanceId, String host, String protocol, int port) {
}
