package io.meshrpc.transport;

import java.util.concurrent.CompletableFuture;

/**
 * A transport whose I/O a thread may run itself while it blocks on a call's result (leader/follower):
 * the thread that reads the reply is then the one waiting for it, and the reply reaches it without
 * the wake-up of a second thread.
 */
public interface WaitingCallerIo {

    /**
     * Runs the transport's I/O on the calling thread until {@code done} completes, whichever thread
     * completes it. Returns at once, false, when this thread cannot take the I/O over: another
     * waiting thread runs it already, the transport is stopped, or this is its own I/O thread.
     *
     * @return whether this thread ran the I/O until {@code done} completed (or the transport stopped)
     */
    boolean runIoUntil(CompletableFuture<?> done);
}
