package io.meshrpc.matchmaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;

/**
 * The topics this node has used, and the watches that keep them current: one waiting request for all of them
 * (one per {@link MatchmakerProtocol#MAX_WATCH_TOPICS} topics in the rare node that uses more). A topic is
 * watched from its first look-up on; that look-up, and any other of the same topic until its snapshot arrives,
 * waits for the snapshot at most the first-lookup timeout counted from the first one. Every later look-up answers
 * at once from what is held.
 */
final class WatchedTopics {

    /**
     * The service's topic names ({@code docs/matchmaker-api.md}, Names). No node can register under another
     * name, so there is nothing to watch, and naming one in a watch would fail the whole watch (400).
     */
    private static final Pattern TOPIC = Pattern.compile(MatchmakerProtocol.TOPIC_PATTERN);

    private final TopicViews view;
    private final Duration firstLookupTimeout;
    private final Supplier<TopicWatch> newWatch;
    /** Topic to the moment (System.nanoTime) its first look-ups stop waiting for the snapshot. */
    private final Map<String, Long> waitUntil = new ConcurrentHashMap<>();
    private final List<TopicWatch> watches = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    WatchedTopics(TopicViews view, Duration firstLookupTimeout, Supplier<TopicWatch> newWatch) {
        this.view = view;
        this.firstLookupTimeout = firstLookupTimeout;
        this.newWatch = newWatch;
    }

    /** Called by every look-up of {@code topic}: watches it from its first use, and waits as described above. */
    void use(String topic) {
        if (view.holds(topic)) {
            return; // the send path: one map read
        }
        Long until = waitUntil.get(topic);
        if (until == null) {
            if (!TOPIC.matcher(topic).matches()) {
                return;
            }
            long mine = System.nanoTime() + firstLookupTimeout.toNanos();
            until = waitUntil.putIfAbsent(topic, mine);
            if (until == null) {
                until = mine;
                add(topic);
            }
        }
        long left = until - System.nanoTime();
        if (left > 0) {
            view.awaitSnapshot(topic, Duration.ofNanos(left));
        }
    }

    /** Whether any topic is watched. */
    synchronized boolean isEmpty() {
        return watches.isEmpty();
    }

    synchronized void close() {
        closed = true;
        watches.forEach(TopicWatch::close);
    }

    /** Restarts the last watch (the only one that may not be full) with the larger set at once. */
    private synchronized void add(String topic) {
        if (closed) {
            return;
        }
        TopicWatch last = watches.isEmpty() ? null : watches.get(watches.size() - 1);
        if (last == null || last.topics().size() >= MatchmakerProtocol.MAX_WATCH_TOPICS) {
            last = newWatch.get();
            watches.add(last);
        }
        Set<String> grown = new TreeSet<>(last.topics());
        grown.add(topic);
        last.watch(grown);
    }
}
