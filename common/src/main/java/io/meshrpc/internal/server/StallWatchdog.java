package io.meshrpc.internal.server;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices the talk's "compute occasionally stops processing queued messages": when the oldest
 * accepted message has waited longer than the threshold, the node is stalled. Health turns DOWN
 * with the reason; the stack traces of the node's workers are logged once per stall (what are
 * they stuck on?); health turns UP again when the queue moves.
 *
 * <p>Checked once a second by the node's timer, so a stall is logged even where nobody polls
 * health, and on every health request.
 */
public final class StallWatchdog {

    private static final Logger log = LoggerFactory.getLogger(StallWatchdog.class);

    /** What the watchdog saw at its last check. */
    public record State(boolean stalled, Duration oldestQueued, int queueDepth, Duration threshold) {
    }

    private final String nodeId;
    private final Dispatcher dispatcher;
    private final Duration threshold;
    private boolean stalled;

    public StallWatchdog(String nodeId, Dispatcher dispatcher, Duration threshold) {
        this.nodeId = nodeId;
        this.dispatcher = dispatcher;
        this.threshold = threshold;
    }

    /** Looks at the dispatch queue now; logs on the transitions into and out of a stall. */
    public synchronized State check() {
        Duration oldest = dispatcher.oldestQueuedAge();
        boolean now = oldest.compareTo(threshold) > 0;
        if (now && !stalled) {
            log.error("Node {} is stalled: the oldest accepted message has waited {} ms (threshold {} ms), {} queued. "
                    + "Worker threads:{}", nodeId, oldest.toMillis(), threshold.toMillis(), dispatcher.queueDepth(),
                    workerStacks());
        } else if (!now && stalled) {
            log.warn("Node {} is moving again: the oldest queued message has waited {} ms", nodeId, oldest.toMillis());
        }
        stalled = now;
        return new State(now, oldest, dispatcher.queueDepth(), threshold);
    }

    private String workerStacks() {
        StringBuilder out = new StringBuilder();
        String prefix = "meshrpc-worker-" + nodeId + "-";
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (!e.getKey().getName().startsWith(prefix)) {
                continue;
            }
            out.append("\n  \"").append(e.getKey().getName()).append("\" ").append(e.getKey().getState());
            for (StackTraceElement frame : e.getValue()) {
                out.append("\n      at ").append(frame);
            }
        }
        return out.toString();
    }
}
