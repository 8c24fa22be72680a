package io.meshrpc.matchmaker.service.watch;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** One waiting watch. Whoever {@link #claim claims} it first (a change, its timeout, its client leaving) ends it. */
final class Watcher {

    final WatchRequest request;
    final WatchResponder responder;
    private final AtomicBoolean claimed = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;

    Watcher(WatchRequest request, WatchResponder responder) {
        this.request = request;
        this.responder = responder;
    }

    /** Whether this caller is the one to end the watch. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    long since() {
        return request.since().orElseThrow();
    }
}
