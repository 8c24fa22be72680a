package io.meshrpc.matchmaker.service.revision;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * This process's copy of the latest changes, in revision order, and the registry's current revision as this
 * process knows it. Watches are answered from it: it says whether a client's revision is still known and which
 * changes came after it.
 *
 * <p>It keeps the last {@code capacity} changes. A revision is known from the history's floor (the revision before
 * its oldest kept change, or the revision it started from) up to the current one; a client holding anything else
 * (trimmed away, or from before a restart or a Redis failover) gets a full snapshot.
 */
public final class ChangeHistory {

    private final int capacity;
    private final Deque<Change> changes;
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private long floor;
    private long current;

    public ChangeHistory(int capacity, long startRevision) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.changes = new ArrayDeque<>(Math.min(capacity, 1024));
        this.floor = startRevision;
        this.current = startRevision;
    }

    /** Listens to every change recorded from now on, called on the recording thread, in revision order. */
    public void onChange(Consumer<Change> listener) {
        listeners.add(listener);
    }

    /**
     * Records the next change; a change at or below the current revision is ignored (it was seen already).
     *
     * @return whether it was recorded
     */
    public boolean record(Change change) {
        synchronized (this) {
            if (change.revision() <= current) {
                return false;
            }
            if (changes.size() == capacity) {
                floor = changes.removeFirst().revision();
            }
            changes.addLast(change);
            current = change.revision();
        }
        for (Consumer<Change> listener : listeners) {
            listener.accept(change);
        }
        return true;
    }

    /**
     * Forgets every change and restarts from {@code revision}: the shared store lost its history (a Redis
     * failover), so every client's revision becomes unknown and gets a snapshot.
     */
    public synchronized void reset(long revision) {
        changes.clear();
        floor = revision;
        current = revision;
    }

    /** The registry's revision as this process knows it. */
    public synchronized long current() {
        return current;
    }

    /** Whether a client holding {@code revision} can be answered with the changes after it. */
    public synchronized boolean knows(long revision) {
        return revision >= floor && revision <= current;
    }

    /**
     * The changes after {@code revision} that touch one of {@code topics}, oldest first; empty when there are none,
     * absent when {@code revision} is not {@link #knows known}.
     */
    public synchronized Optional<List<Change>> after(long revision, Set<String> topics) {
        if (!knows(revision)) {
            return Optional.empty();
        }
        List<Change> found = new ArrayList<>(2);
        var it = changes.descendingIterator(); // newest first: a client is usually only a change or two behind
        while (it.hasNext()) {
            Change change = it.next();
            if (change.revision() <= revision) {
                break;
            }
            if (change.touchesAny(topics)) {
                found.add(0, change);
            }
        }
        return Optional.of(found);
    }
}
