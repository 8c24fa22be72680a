package io.meshrpc.scheduler.placement;

import java.time.Instant;

/**
 * A placement this scheduler made that its host has not reported yet.
 *
 * @param instanceId the instance placed
 * @param host       where it was placed
 * @param resources  what it takes
 * @param at         when it was placed
 */
record Claim(String instanceId, String host, Resources resources, Instant at) {
}
