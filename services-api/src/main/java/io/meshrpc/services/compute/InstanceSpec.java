package io.meshrpc.services.compute;

/**
 * What to build.
 *
 * @param id    the instance id, chosen by the gateway
 * @param name  the user's name for it
 * @param vcpus virtual CPUs
 * @param ramMb memory in MiB
 */
public record InstanceSpec(String id, String name, int vcpus, int ramMb) {
}
