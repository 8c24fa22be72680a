package io.meshrpc.services.scheduler;

/**
 * The scheduler's answer: the compute host (its node id, a server of topic {@code compute}) and
 * how much room it had left when chosen, which the gateway logs and the demo prints.
 *
 * @param host         node id of the chosen compute agent
 * @param freeVcpusAfter vCPUs the host has left once this instance is on it
 * @param freeRamMbAfter RAM (MiB) the host has left once this instance is on it
 */
public record Destination(String host, int freeVcpusAfter, int freeRamMbAfter) {
}
