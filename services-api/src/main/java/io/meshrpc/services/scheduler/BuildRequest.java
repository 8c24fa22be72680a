package io.meshrpc.services.scheduler;

import java.util.List;

/**
 * What the scheduler needs to place one instance.
 *
 * @param instanceId    the instance being placed; the scheduler holds a claim under this id until
 *                      the chosen host reports the instance, so concurrent requests do not all pick
 *                      the same almost-full host. The claim also ends when a report of that host
 *                      arriving {@code scheduler.claim-grace} later does not list it, after
 *                      {@code scheduler.claim-ttl}, or when newer claims push it out; a second request
 *                      with the same id replaces it
 * @param vcpus         virtual CPUs wanted, at least 1
 * @param ramMb         memory wanted in MiB, at least 1
 * @param excludedHosts hosts that already failed this instance (a reschedule), never chosen again
 */
public record BuildRequest(String instanceId, int vcpus, int ramMb, List<String> excludedHosts) {

    public BuildRequest {
        excludedHosts = excludedHosts == null ? List.of() : List.copyOf(excludedHosts);
    }

    /** A first attempt: no host excluded yet. */
    public static BuildRequest of(String instanceId, int vcpus, int ramMb) {
        return new BuildRequest(instanceId, vcpus, ramMb, List.of());
    }
}
