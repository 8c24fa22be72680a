package io.meshrpc.matchmaker;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.matchmaker.protocol.WatchAnswer;

/**
 * One waiting request on the service for a set of topics: issued again as soon as its answer is applied, from
 * the revision that answer reflects. {@link #watch} replaces the set at once with a new request that asks for a
 * snapshot (a topic just added has no revision to start from); the request still out for the old set is
 * abandoned: its answer is still applied where it is newer, but it is not issued again. Failures are retried
 * with {@link Backoff}, never in a loop.
 */
final class TopicWatch {

    private static final Logger log = LoggerFactory.getLogger(TopicWatch.class);

    private final MatchmakerHttp http;
    private final TopicViews view;
    private final Freshness freshness;
    private final ScheduledExecutorService scheduler;
    private final Duration wait;
    private final Backoff backoff;

    // guarded by this
    private Set<String> topics = Set.of();
    private long generation;
    private boolean resynced;
    private boolean closed;

    TopicWatch(MatchmakerHttp http, TopicViews view, Freshness freshness, ScheduledExecutorService scheduler,
               Duration wait, Backoff backoff) {
        this.http = http;
        this.view = view;
        this.freshness = freshness;
        this.scheduler = scheduler;
        this.wait = wait;
        this.backoff = backoff;
    }

    synchronized Set<String> topics() {
        return topics;
    }

    /**
     * Watches {@code newTopics} from now on. When every topic watched so far has a revision, only the topics just
     * added are fetched as a snapshot, and the watch of the whole set resumes from the oldest revision held:
     * adding the k-th topic then costs one topic's snapshot, not k (a node warming up would otherwise download
     * its largest topic once per topic it adds). Otherwise the whole set starts from a snapshot.
     */
    synchronized void watch(Set<String> newTopics) {
        Set<String> added = new TreeSet<>(newTopics);
        added.removeAll(topics);
        Long since = oldestRevision(topics);
        topics = Collections.unmodifiableSortedSet(new TreeSet<>(newTopics)); // a stable query, in logs too
        generation++;
        backoff.reset();
        resynced = false;
        if (since == null || added.isEmpty()) {
            issue(generation, since);
            return;
        }
        long gen = generation;
        http.watch(added, null, wait).whenComplete((snapshot, error) -> {
            if (snapshot != null) {
                view.apply(snapshot, added, false);
            }
            synchronized (this) {
                if (!closed && gen == generation) {
                    issue(gen, snapshot == null ? null : since); // the snapshot failed: start the set afresh
                }
            }
        });
    }

    /** The oldest revision the view holds for {@code watched}; {@code null} when one has none yet. */
    private Long oldestRevision(Set<String> watched) {
        if (watched.isEmpty()) {
            return null;
        }
        Map<String, Long> held = view.revisions();
        long oldest = Long.MAX_VALUE;
        for (String topic : watched) {
            Long revision = held.get(topic);
            if (revision == null) {
                return null;
            }
            oldest = Math.min(oldest, revision);
        }
        return oldest;
    }

    synchronized void close() {
        closed = true;
    }

    private void issue(long gen, Long since) { // under this
        Set<String> asked = topics;
        http.watch(asked, since, wait).whenComplete((answer, error) -> answered(gen, asked, since, answer, error));
    }

    private void answered(long gen, Set<String> asked, Long since, WatchAnswer answer, Throwable error) {
        // a snapshot older than what we asked from: the service lost its last writes (Redis failover)
        boolean wentBack = answer != null && answer.fullSnapshot() && since != null && answer.revision() < since;
        if (answer != null) {
            // before the view: a look-up that the snapshot wakes up finds the view current, not unknown
            if (freshness.answered()) {
                log.info("Matchmaker answers again; watching {} from revision {}", asked, answer.revision());
            }
            view.apply(answer, asked, wentBack);
        }
        synchronized (this) {
            if (closed || gen != generation) {
                return; // abandoned for a larger set: applied where newer, not issued again
            }
            if (error != null) {
                retryLater(gen, since, error instanceof CompletionException ? error.getCause() : error);
                return;
            }
            // a snapshot answering a watch that had a revision: the service did not know it (restart, failover).
            // Twice in a row would be a loop of snapshots: space them like failures.
            boolean resync = answer.fullSnapshot() && since != null;
            if (resync && resynced) {
                long delay = backoff.nextDelayMillis();
                scheduler.schedule(() -> reissue(gen, answer.revision()), delay, TimeUnit.MILLISECONDS);
            } else {
                backoff.reset();
                issue(gen, answer.revision());
            }
            resynced = resync;
        }
    }

    private void retryLater(long gen, Long since, Throwable cause) { // under this
        long delay = backoff.nextDelayMillis();
        if (freshness.failed()) {
            log.warn("Matchmaker watch failed ({}); serving the last view, retrying with back-off", cause.toString());
        } else {
            log.debug("Matchmaker watch failed again ({}); next try in {} ms", cause.toString(), delay);
        }
        scheduler.schedule(() -> reissue(gen, since), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void reissue(long gen, Long since) {
        if (!closed && gen == generation) {
            issue(gen, since);
        }
    }
}
