package io.meshrpc.transport.amqp;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.NoRouteException.Reason;

/**
 * One channel in confirm mode, held by the publisher thread for as long as it stays open, that
 * matches the broker's confirms and returns to the publishes they answer.
 *
 * <p>Why not {@code RabbitTemplate} with correlated confirms: Spring AMQP hands every confirm to an
 * executor task (so a return can be waited for), keeps two sorted maps per channel, and checks a
 * channel out of its cache per send; at broker-cast rates that cost more CPU than the broker itself
 * and started hundreds of threads a second. Here a confirm completes its publish on the
 * connection's own thread, with no hand-off: a return always arrives before the confirm of the same
 * message, on that same thread (AMQP 0-9-1 orders them on the channel), so the confirm already knows
 * whether its message was returned. Qpid Broker-J is the exception: it nacks an unroutable message
 * first and returns it right after, so a nack waits {@link #RETURN_GRACE} for a return before it
 * counts as a refusal.
 *
 * <p>Publish sequence numbers grow by one per publish on a channel, so the publishes waiting for a
 * confirm form a queue in sequence order; a confirm with {@code multiple} settles a prefix of it.
 */
final class ConfirmedChannel {

    /** One publish waiting for its confirm. Mutable: only the connection thread marks it returned. */
    private static final class Waiting {
        final long seq;
        final String messageId;
        final CompletableFuture<Void> confirmed;
        final Supplier<String> what;
        final String exchange;
        final String key;
        boolean returned;

        Waiting(long seq, String messageId, CompletableFuture<Void> confirmed, Supplier<String> what,
                String exchange, String key) {
            this.seq = seq;
            this.messageId = messageId;
            this.confirmed = confirmed;
            this.what = what;
            this.exchange = exchange;
            this.key = key;
        }
    }

    private static final Duration RETURN_GRACE = Duration.ofMillis(200);

    private final Channel channel;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(); // guarded by itself
    private final ArrayDeque<Waiting> nacked = new ArrayDeque<>(); // guarded by waiting

    private ConfirmedChannel(Channel channel) {
        this.channel = channel;
    }

    /**
     * Puts {@code channel} (fresh, used by nobody else) in confirm mode and starts matching its
     * confirms and returns; when the channel closes, every publish still waiting fails at once.
     */
    static ConfirmedChannel open(Channel channel) throws IOException {
        ConfirmedChannel confirmed = new ConfirmedChannel(channel);
        channel.confirmSelect();
        channel.addConfirmListener((seq, multiple) -> confirmed.settle(seq, multiple, true),
                (seq, multiple) -> confirmed.settle(seq, multiple, false));
        channel.addReturnListener(r -> confirmed.returned(r.getProperties().getMessageId()));
        channel.addShutdownListener(confirmed::closed);
        return confirmed;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Publishes {@code body}, as mandatory unless told otherwise; {@code confirmed} completes when the broker confirms it,
     * or fails when the broker returns it as unroutable ({@code NO_NODES}), nacks it ({@code REFUSED}),
     * or the channel closes first ({@code NOT_ACKNOWLEDGED}).
     */
    void publish(String exchange, String key, boolean mandatory, AMQP.BasicProperties props, byte[] body,
                 CompletableFuture<Void> confirmed, Supplier<String> what) throws IOException {
        Waiting w = new Waiting(channel.getNextPublishSeqNo(), props.getMessageId(), confirmed, what, exchange, key);
        synchronized (waiting) {
            waiting.add(w);
        }
        try {
            channel.basicPublish(exchange, key, mandatory, props, body);
        } catch (IOException | RuntimeException ex) {
            synchronized (waiting) {
                waiting.remove(w);
            }
            throw ex;
        }
    }

    /** Publishes sent on this channel whose confirm has not come. */
    int waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
            // closing is best effort: the shutdown listener fails what still waits
        }
    }

    /** Completes outside the lock: a completion runs the sender's continuations on this (the connection's) thread. */
    private void settle(long seq, boolean multiple, boolean ack) {
        if (!multiple) {
            Waiting w = removeExactly(seq);
            if (w != null) {
                complete(w, ack);
            }
            return;
        }
        Waiting w;
        while ((w = pollUpTo(seq)) != null) {
            complete(w, ack);
        }
    }

    private Waiting pollUpTo(long seq) {
        synchronized (waiting) {
            Waiting head = waiting.peek();
            return head != null && head.seq <= seq ? waiting.poll() : null;
        }
    }

    private Waiting removeExactly(long seq) {
        synchronized (waiting) {
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
                Waiting w = it.next();
                if (w.seq == seq) {
                    it.remove();
                    return w;
                }
                if (w.seq > seq) {
                    return null;
                }
            }
            return null;
        }
    }

    private void complete(Waiting w, boolean ack) {
        if (w.returned) {
            w.confirmed.completeExceptionally(unroutable(w));
        } else if (ack) {
            w.confirmed.complete(null);
        } else {
            synchronized (waiting) {
                nacked.add(w);
            }
            CompletableFuture.delayedExecutor(RETURN_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> refuse(w));
        }
    }

    /** A nack with no return within the grace: the broker refused the message (a queue limit, say). */
    private void refuse(Waiting w) {
        boolean stillNacked;
        synchronized (waiting) {
            stillNacked = nacked.remove(w);
        }
        if (stillNacked) {
            w.confirmed.completeExceptionally(new NoRouteException(Reason.REFUSED,
                    "The broker refused " + w.what.get() + " (basic.nack)"));
        }
    }

    /** Rare (a queue missing): a scan of the waiting publishes is cheaper than an index kept for every one. */
    private void returned(String messageId) {
        if (messageId == null) {
            return;
        }
        Waiting refused = null;
        synchronized (waiting) {
            for (Waiting w : waiting) {
                if (messageId.equals(w.messageId)) {
                    w.returned = true;
                    return;
                }
            }
            for (Iterator<Waiting> it = nacked.iterator(); it.hasNext() && refused == null; ) {
                Waiting w = it.next();
                if (messageId.equals(w.messageId)) {
                    it.remove();
                    refused = w;
                }
            }
        }
        if (refused != null) {
            refused.confirmed.completeExceptionally(unroutable(refused));
        }
    }

    private void closed(ShutdownSignalException cause) {
        Waiting w;
        while ((w = pollUpTo(Long.MAX_VALUE)) != null) {
            // sent but not confirmed, as a ZeroMQ send without its ACK: it may or may not have arrived
            w.confirmed.completeExceptionally(new NoRouteException(Reason.NOT_ACKNOWLEDGED,
                    "The broker channel closed before the broker confirmed " + w.what.get() + " ("
                            + cause.getMessage() + ")"));
        }
    }

    private static NoRouteException unroutable(Waiting w) {
        return new NoRouteException(Reason.NO_NODES, "The broker has no queue for " + w.what.get() + " (exchange '"
                + w.exchange + "', key '" + w.key + "', unroutable); the node has not consumed through the broker yet");
    }
}
