package io.meshrpc.gateway.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The latest events this gateway received, newest first: a ring of {@value #CAPACITY}, the oldest
 * dropped when a new one arrives. Thread-safe (the listener's threads add, HTTP threads read).
 * Filled by {@link EventFeedListener} when the gateway has a broker; empty otherwise.
 */
@Component
public class EventFeed {

    /** Events kept. */
    public static final int CAPACITY = 200;

    private final ArrayDeque<FeedEvent> ring = new ArrayDeque<>(CAPACITY);
    private long received;

    public synchronized void add(FeedEvent event) {
        if (ring.size() == CAPACITY) {
            ring.removeLast();
        }
        ring.addFirst(event);
        received++;
    }

    /** The {@code limit} most recently received events, newest first. */
    public synchronized List<FeedEvent> latest(int limit) {
        List<FeedEvent> latest = new ArrayList<>(Math.min(limit, ring.size()));
        for (Iterator<FeedEvent> it = ring.iterator(); it.hasNext() && latest.size() < limit;) {
            latest.add(it.next());
        }
        return latest;
    }

    /** Events received since the gateway started (also those no longer kept). */
    public synchronized long received() {
        return received;
    }
}
