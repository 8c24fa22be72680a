package io.meshrpc.matchmaker.service.revision;

import java.util.Set;

/**
 * Where changes get their revision. The registry appends a change after it wrote it, before it answers the
 * client: a watcher woken by the revision therefore reads state at least as new as the change.
 *
 * <p>In one process ({@link LocalChangeLog}) a change reaches this process's {@link ChangeHistory} at once; with
 * Redis, every replica's history follows Redis's, so a change written through one replica wakes the watchers of
 * all.
 */
public interface ChangeLog {

    /**
     * Gives the change the next revision and publishes it.
     *
     * @return the revision of the change
     */
    long append(Set<String> nodeIds, Set<String> topics);

    /** The registry's revision as this process knows it: what reads reflect. */
    long revision();
}
