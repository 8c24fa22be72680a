package io.meshrpc.matchmaker.service.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.meshrpc.matchmaker.service.revision.Change;
import io.meshrpc.matchmaker.service.revision.ChangeHistory;

/**
 * Holds the waiting watches, without a thread each, and wakes exactly the watchers of the topics a change touched.
 *
 * <p>A watch that is owed something when it arrives (a snapshot, or changes after its revision) is answered at once.
 * Otherwise it waits in the set of each of its topics until a change touches one of them, or its wait (plus a
 * jitter of up to a sixteenth, so that a fleet started together does not come back together) runs out. Checking
 * what a watch is owed and parking it happen under the same lock as collecting a change's watchers, and the history
 * records a change before it tells the hub, so no change falls between the two.
 *
 * <p>Answers are written by a small pool of threads, one batch per change: see {@link WatchAnswers}.
 */
public final class WatchHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);

    private final ChangeHistory history;
    private final WatchAnswers answers;
    private final WatchLimits limits;
    private final WatchMetrics metrics;
    private final Map<String, Set<Watcher>> waiting = new HashMap<>();
    private final Map<WatchResponder, Watcher> byResponder = new IdentityHashMap<>();
    private final Set<String> pendingTopics = new HashSet<>(); // guarded by this
    private boolean flushScheduled; // guarded by this
    private final AtomicInteger count = new AtomicInteger();
    private volatile ScheduledThreadPoolExecutor timer;
    private volatile ExecutorService writers;

    public WatchHub(ChangeHistory history, WatchAnswers answers, WatchLimits limits, WatchMetrics metrics) {
        this.history = history;
        this.answers = answers;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** Before the web server: the first watch must find the hub running. */
    @Override
    public int getPhase() {
        return 0;
    }

    @Override
    public synchronized void start() {
        if (writers != null) {
            return;
        }
        timer = new ScheduledThreadPoolExecutor(1, named("matchmaker-watch-timer"));
        timer.setRemoveOnCancelPolicy(true); // a woken watch's timeout must not linger in the queue for a minute
        writers = Executors.newFixedThreadPool(limits.writerThreads(), named("matchmaker-watch-writer"));
        history.onChange(this::changed);
        metrics.watch(this);
    }

    @Override
    public synchronized void stop() {
        if (writers != null) {
            timer.shutdownNow();
            writers.shutdownNow();
            writers = null;
        }
    }

    @Override
    public boolean isRunning() {
        return writers != null;
    }

    /**
     * Answers every waiting watch now, with what it is owed (usually "unchanged"), so that its client comes back
     * at once, to another replica or to this one once it restarted, instead of the server's shutdown waiting a
     * whole wait for it.
     */
    public void drain() {
        List<Watcher> all;
        synchronized (this) {
            all = new ArrayList<>(byResponder.values());
            all.forEach(this::unpark);
        }
        if (!all.isEmpty()) {
            log.info("Answering {} waiting watch(es) before shutting down", all.size());
            answerAll(all);
        }
    }

    /** Watches now waiting. */
    public int waiting() {
        return count.get();
    }

    /**
     * Answers the watch at once when it is owed something, else parks it.
     *
     * @return {@code false} when the hub holds {@link WatchLimits#maxWatches()} already: the caller answers 503
     */
    public boolean watch(WatchRequest request, WatchResponder responder) {
        WatchAnswers.Batch batch = answers.batch();
        Optional<Long> since = request.since().isPresent() ? Optional.of(request.since().getAsLong()) : Optional.empty();
        Watcher watcher = new Watcher(request, responder);
        boolean parked = false;
        synchronized (this) { // only the cheap check under the lock: a snapshot is built outside it
            if (!batch.owesNow(request.topics(), since)) {
                if (count.get() >= limits.maxWatches()) {
                    return false;
                }
                park(watcher);
                parked = true;
            }
        }
        if (!parked) {
            try {
                batch.owed(request.topics(), since, true).ifPresent(owed -> send(responder, owed));
            } catch (RuntimeException ex) { // the store failed
                log.warn("Could not answer a watch: {}", ex.toString());
                responder.unavailable();
            }
            return true;
        }
        Duration wait = request.maxWait();
        long jitter = ThreadLocalRandom.current().nextLong(wait.toMillis() / 16 + 1);
        watcher.timeout = timer.schedule(() -> timedOut(watcher), wait.toMillis() + jitter, TimeUnit.MILLISECONDS);
        return true;
    }

    /** The client went away, or the container gave up on the exchange, before an answer: forget its watch. */
    public void abandoned(WatchResponder responder) {
        Watcher gone;
        synchronized (this) {
            gone = byResponder.get(responder);
            if (gone != null) {
                unpark(gone);
            }
        }
        if (gone != null && gone.claim() && gone.timeout != null) {
            gone.timeout.cancel(false);
        }
    }

    /**
     * Notes the topics a change touched and wakes their watchers after {@link WatchLimits#coalesce()}: changes
     * that come together (a node replaced: one leaves, one joins; a rack that powers up) reach each watcher in
     * one answer, as Kubernetes' watch cache batches its events. No wake-up is lost meanwhile: a watch that
     * arrives during the window finds the change in the history and is answered at once.
     */
    private void changed(Change change) {
        synchronized (this) {
            pendingTopics.addAll(change.topics());
            if (flushScheduled) {
                return;
            }
            flushScheduled = true;
        }
        long delay = limits.coalesce().toMillis();
        if (delay == 0) {
            wakePending();
        } else {
            timer.schedule(this::wakePending, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void wakePending() {
        List<Watcher> woken = new ArrayList<>();
        WatchAnswers.Batch batch = answers.batch();
        synchronized (this) {
            Set<Watcher> seen = new HashSet<>();
            for (String topic : pendingTopics) {
                Set<Watcher> watchers = waiting.get(topic);
                if (watchers != null) {
                    seen.addAll(watchers);
                }
            }
            pendingTopics.clear();
            flushScheduled = false;
            for (Watcher w : seen) {
                // one that parked after the change, already holding it, waits on
                if (batch.owesNow(w.request.topics(), Optional.of(w.since()))) {
                    unpark(w);
                    woken.add(w);
                }
            }
        }
        if (!woken.isEmpty()) {
            answerAll(woken);
        }
    }

    private void timedOut(Watcher watcher) {
        synchronized (this) {
            unpark(watcher);
        }
        answerAll(List.of(watcher));
    }

    private void answerAll(List<Watcher> woken) {
        try {
            writers.execute(() -> {
                WatchAnswers.Batch batch = answers.batch();
                for (Watcher w : woken) {
                    if (w.claim()) {
                        if (w.timeout != null) {
                            w.timeout.cancel(false);
                        }
                        answer(batch, w);
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            log.debug("Matchmaker stopping: {} watch(es) not answered", woken.size());
        }
    }

    /** A woken watch always gets an answer: what changed, or "unchanged" at the end of its wait. */
    private void answer(WatchAnswers.Batch batch, Watcher w) {
        try {
            batch.owed(w.request.topics(), Optional.of(w.since()), true).ifPresent(o -> send(w.responder, o));
        } catch (RuntimeException ex) { // the store failed: the client retries, the hub goes on
            log.warn("Could not answer a watch: {}", ex.toString());
            w.responder.unavailable();
        }
    }

    private void send(WatchResponder responder, WatchAnswers.Owed owed) {
        metrics.answered(owed.kind());
        responder.answer(owed.json());
    }

    private void park(Watcher watcher) {
        for (String topic : watcher.request.topics()) {
            waiting.computeIfAbsent(topic, t -> new HashSet<>()).add(watcher);
        }
        byResponder.put(watcher.responder, watcher);
        count.incrementAndGet();
    }

    private void unpark(Watcher watcher) {
        byResponder.remove(watcher.responder);
        boolean was = false;
        for (String topic : watcher.request.topics()) {
            Set<Watcher> watchers = waiting.get(topic);
            if (watchers != null && watchers.remove(watcher)) {
                was = true;
                if (watchers.isEmpty()) {
                    waiting.remove(topic);
                }
            }
        }
        if (was) {
            count.decrementAndGet();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
