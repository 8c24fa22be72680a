package io.meshrpc.matchmaker.service.revision;

import java.util.Set;

/** The change log of a matchmaker that keeps its registry in memory: revisions are counted here. */
public final class LocalChangeLog implements ChangeLog {

    private final ChangeHistory history;

    public LocalChangeLog(ChangeHistory history) {
        this.history = history;
    }

    @Override
    public synchronized long append(Set<String> nodeIds, Set<String> topics) {
        long revision = history.current() + 1;
        history.record(new Change(revision, nodeIds, topics));
        return revision;
    }

    @Override
    public long revision() {
        return history.current();
    }
}
