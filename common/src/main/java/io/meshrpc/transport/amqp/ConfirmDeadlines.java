package io.meshrpc.transport.amqp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;

/**
 * Publishes waiting for the broker's confirm, oldest first, failed by one periodic sweep once
 * {@code meshrpc.amqp.confirm-timeout} has passed since they were handed to the transport.
 *
 * <p>The clock starts when a publish is queued, not when it reaches the socket: when the broker
 * stops answering without closing the connection (a silent partition), the publisher thread can sit
 * in a socket write for as long as TCP retransmits, and every publish queued behind it must still
 * fail within the timeout, so that its sender fails over or learns it. One queue and one sweep also
 * replace a timer task per publish. All publishes share one timeout, so the queue is in deadline
 * order and a sweep stops at the first that is not due.
 */
final class ConfirmDeadlines {

    private record Waiting(long deadlineNanos, CompletableFuture<Void> confirmed, Supplier<String> what) {
    }

    private final Duration timeout;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();

    ConfirmDeadlines(Duration timeout) {
        this.timeout = timeout;
    }

    /** Starts the clock of one publish; {@code what} names it in the error, built only if it fails. */
    void add(CompletableFuture<Void> confirmed, Supplier<String> what) {
        waiting.add(new Waiting(System.nanoTime() + timeout.toNanos(), confirmed, what));
    }

    /** Fails the publishes whose confirm is overdue and forgets the ones that completed. */
    void sweep(long nowNanos) {
        Waiting head;
        while ((head = waiting.peek()) != null) {
            if (!head.confirmed().isDone()) {
                if (nowNanos - head.deadlineNanos() < 0) {
                    return;
                }
                head.confirmed().completeExceptionally(new NoRouteException(Reason.NOT_ACKNOWLEDGED,
                        "The broker did not confirm " + head.what().get() + " within " + timeout));
            }
            waiting.poll();
        }
    }

    /** How often to sweep: a tenth of the timeout, at most every 100 ms. */
    Duration interval() {
        Duration tenth = timeout.dividedBy(10);
        return tenth.compareTo(Duration.ofMillis(100)) < 0 ? tenth : Duration.ofMillis(100);
    }
}
