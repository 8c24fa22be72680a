package io.meshrpc.launcher.ops;

import java.time.Duration;

/**
 * When a policy change was in force at the senders that matter.
 *
 * @param senders the live nodes that watch a topic the change concerns
 * @param took    from the write until every one of them held the change's revision
 */
public record InForce(int senders, Duration took) {
}
