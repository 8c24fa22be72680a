package io.meshrpc.scheduler.placement;

import java.time.Instant;

/**
 * One compute host as this scheduler sees it (the {@code /api/v1/hosts} view).
 *
 * @param host       the agent's node id
 * @param total      its capacity
 * @param reported   what its last report said was free
 * @param free       what the scheduler counts as free: reported minus its own pending claims
 * @param claims     placements made here that the host has not reported yet
 * @param instances  instances in the last report
 * @param reportedAt when the last report arrived
 * @param fresh      whether the report is recent enough for the host to be chosen
 * @param suspectUntil until when the host is chosen only when no other fits (it let a placement lapse);
 *                   {@code null} when it is not suspect
 */
public record HostView(String host, Resources total, Resources reported, Resources free, int claims, int instances,
                       Instant reportedAt, boolean fresh, Instant suspectUntil) {
}
