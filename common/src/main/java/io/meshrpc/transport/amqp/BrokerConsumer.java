package io.meshrpc.transport.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Consumes a set of queues on one channel of its own, handles each delivery on the thread the
 * client delivers it on, and acknowledges in batches: one {@code basic.ack} with {@code multiple}
 * covers a run of deliveries handled back to back. It is sent when no further delivery comes within
 * {@link #ACK_DELAY} (and at the latest every {@link #MAX_ACK_BATCH}), so a quiet queue is
 * acknowledged within a millisecond and a busy one with a fraction of the frames, for the broker and
 * for this node. The deliveries not yet handled are bounded by the prefetch: the broker sends no more
 * until some are acked.
 *
 * <p>The client hands a channel's deliveries to its consumers one at a time, in order, on a thread of
 * its own pool; the handler never blocks ({@link DeliveryHandler}), so it runs right there, with no
 * hand-off to another thread (which cost a wake-up of a parked thread per delivery). The consumer's
 * own thread only sends the acks a quiet queue leaves due, replaces a failed channel and stops.
 *
 * <p>Why not Spring AMQP's {@code SimpleMessageListenerContainer}: with manual acknowledgement it
 * leaves one ack per message to the listener, and its own batching (automatic acknowledgement with a
 * batch size) holds a batch's acks until the next message or a receive timeout, and loses them when
 * the container stops: the broker would then hand messages this node had taken to another node.
 * Here a stop waits for the delivery being handled and sends the acks of everything handled before
 * the channel closes.
 *
 * <p>A channel that closes (broker down, connection lost, consumer cancelled by the broker) is
 * replaced after the recovery interval. Deliveries the client still hands over from it are not
 * handled: their tags mean nothing on another channel, and the broker gives them back to their queues.
 */
final class BrokerConsumer {

    /** Acks are sent at least this often while deliveries keep coming, and never later than half the prefetch. */
    static final int MAX_ACK_BATCH = 64;
    private static final Logger log = LoggerFactory.getLogger(BrokerConsumer.class);
    /**
     * How long acks wait for a further delivery to share their frame once none is queued. Handling is
     * never delayed (a caller waits for its reply, not for this ack); only the broker learns later.
     */
    static final Duration ACK_DELAY = Duration.ofMillis(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /**
     * How a consumer paces itself.
     *
     * @param prefetch         deliveries the broker hands over before it waits for acks
     * @param recoveryInterval how long a failed channel waits before it is replaced
     * @param ackDelay         how long acks wait for further deliveries once none is queued
     */
    record Pacing(int prefetch, Duration recoveryInterval, Duration ackDelay) {

        /** The transport's pacing: its prefetch and recovery interval, and {@link #ACK_DELAY}. */
        static Pacing of(AmqpSettings settings) {
            return new Pacing(settings.prefetch(), settings.recoveryInterval(), ACK_DELAY);
        }

        /** Acks go out at least this often, so the prefetch window never closes on acks held back. */
        int ackBatch() {
            return Math.max(1, Math.min(MAX_ACK_BATCH, prefetch / 2));
        }
    }

    private final String name;
    private final ConnectionFactory connectionFactory;
    private final List<String> queues;
    private final Pacing pacing;
    private final DeliveryHandler handler;
    private final Runnable beforeResubscribe;
    private final Consumer<String> onFailure;
    private volatile boolean running;
    /** Woken (unparked) when acks become due, a channel fails, or the consumer stops. */
    private volatile Thread thread;
    /** The channel consumed now; the consumer thread's once it runs. */
    private Subscription current;

    /**
     * @param name              names the thread and the log lines
     * @param beforeResubscribe runs before each new channel after a failure (declares the queues again)
     * @param onFailure         told why a working channel failed, before it is replaced
     */
    BrokerConsumer(String name, ConnectionFactory connectionFactory, List<String> queues, Pacing pacing,
                   DeliveryHandler handler, Runnable beforeResubscribe, Consumer<String> onFailure) {
        this.name = name;
        this.connectionFactory = connectionFactory;
        this.queues = List.copyOf(queues);
        this.pacing = pacing;
        this.handler = handler;
        this.beforeResubscribe = beforeResubscribe;
        this.onFailure = onFailure;
    }

    /**
     * Subscribes on the calling thread, so that the node consumes when this returns; a broker that is
     * down now is subscribed to by the consumer's thread when it answers.
     */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t; // before the first delivery can wake it
        current = subscribe(false);
        t.start();
    }

    /**
     * Stops consuming: the delivery being handled finishes, the acks of everything handled are sent,
     * and the channel closes, which gives every delivery not handled back to its queue.
     */
    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The consumer's thread: acks a quiet queue left due, replaces a failed channel, closes on a stop. */
    private void run() {
        long ackDelayNanos = pacing.ackDelay().toNanos();
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                if (current == null) {
                    current = resubscribe();
                } else if (current.broken) {
                    onFailure.accept(current.reason);
                    current.close();
                    current = null;
                } else {
                    LockSupport.parkNanos(this, current.flushIfQuiet(System.nanoTime(), ackDelayNanos));
                }
            }
        } finally {
            if (current != null) {
                current.close();
            }
        }
    }

    private Settlement settlementOf(String queue, byte[] body) {
        try {
            return handler.handle(queue, body);
        } catch (RuntimeException ex) {
            // Acknowledged, so that a message that breaks the handler cannot circle for ever.
            log.error("{}: a delivery from {} failed its handler and is dropped", name, queue, ex);
            return Settlement.ACK;
        }
    }

    /** After a failure: waits the recovery interval, declares the queues again and subscribes. */
    private Subscription resubscribe() {
        return waitForRecovery() ? subscribe(true) : null;
    }

    /**
     * Opens a channel and consumes every queue on it.
     *
     * @param again whether to declare the queues first
     * @return the subscription, or null if the broker refused or did not answer
     */
    private Subscription subscribe(boolean again) {
        Channel channel = null;
        try {
            if (again) {
                beforeResubscribe.run();
            }
            channel = connectionFactory.createConnection().getDelegate().createChannel();
            if (channel == null) {
                throw new IOException("the connection has no channel left");
            }
            Subscription subscription = new Subscription(channel);
            channel.addShutdownListener(subscription::closed);
            channel.basicQos(pacing.prefetch());
            for (String queue : queues) {
                channel.basicConsume(queue, false, subscription.consumerOf(queue));
            }
            return subscription;
        } catch (IOException | RuntimeException ex) {
            log.warn("{}: consuming {} failed ({}); trying again in {} ms", name, queues,
                    BrokerErrors.rootMessage(ex), pacing.recoveryInterval().toMillis());
            abort(channel);
            return null;
        }
    }

    /** Waits the recovery interval; false if stopped meanwhile. */
    private boolean waitForRecovery() {
        long until = System.nanoTime() + pacing.recoveryInterval().toNanos();
        long left;
        while (running && !Thread.currentThread().isInterrupted() && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
        return running;
    }

    private static void abort(Channel channel) {
        if (channel != null) {
            try {
                channel.abort();
            } catch (IOException | RuntimeException ex) {
                log.debug("Aborting a consumer channel failed: {}", ex.toString());
            }
        }
    }

    /**
     * One channel and its consumers. Delivery tags count per channel, so its acks go to it only. The
     * client's delivery thread and the consumer's thread share its ack state under its lock, which a
     * delivery holds while it is handled: a stop that closes the channel waits for it and acks it.
     */
    private final class Subscription {

        private final Channel channel;
        private final int ackBatch = pacing.ackBatch();
        private volatile boolean broken;
        private volatile String reason;
        private boolean closed;
        private long lastToAck;
        private int unacked;
        /** When the last delivery to ack was handled ({@link System#nanoTime()}). */
        private long lastSettledAt;

        Subscription(Channel channel) {
            this.channel = channel;
        }

        DefaultConsumer consumerOf(String queue) {
            return new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    deliver(envelope.getDeliveryTag(), queue, body);
                }

                @Override
                public void handleCancel(String consumerTag) {
                    fail("the broker cancelled the consumer of " + queue);
                }
            };
        }

        /**
         * Handles one delivery on the client's thread. One that comes once the channel failed or the
         * consumer stops is left unacknowledged: the channel's close gives it back to the broker.
         */
        private void deliver(long tag, String queue, byte[] body) {
            boolean firstToAck;
            synchronized (this) {
                if (closed || broken || !running) {
                    return;
                }
                firstToAck = settle(tag, settlementOf(queue, body));
            }
            if (firstToAck) {
                LockSupport.unpark(thread); // to ack it once the queue goes quiet
            }
        }

        /** @return whether this is the only delivery waiting for an ack now */
        private boolean settle(long tag, Settlement settlement) {
            try {
                if (settlement == Settlement.REQUEUE) {
                    channel.basicNack(tag, false, true);
                    return false;
                }
                // A multiple ack settles every delivery up to this one that is still open; the ones
                // requeued before it are no longer open, so it cannot take them back.
                lastToAck = tag;
                lastSettledAt = System.nanoTime();
                if (++unacked >= ackBatch) {
                    flush();
                }
                return unacked == 1;
            } catch (IOException | RuntimeException ex) {
                fail("settling a delivery failed: " + BrokerErrors.rootMessage(ex));
                return false;
            }
        }

        /**
         * Acks what was handled once no delivery came for {@code delay}.
         *
         * @return how long to wait before looking again: until woken when nothing waits for an ack
         */
        synchronized long flushIfQuiet(long now, long delay) {
            if (unacked == 0) {
                return Long.MAX_VALUE;
            }
            long quiet = now - lastSettledAt;
            if (quiet < delay) {
                return delay - quiet;
            }
            flush();
            return Long.MAX_VALUE;
        }

        void closed(ShutdownSignalException signal) {
            fail("channel closed: " + signal.getMessage());
        }

        private void fail(String why) {
            if (!broken) {
                reason = why;
                broken = true;
                LockSupport.unpark(thread);
            }
        }

        private void flush() {
            if (unacked == 0) {
                return;
            }
            try {
                channel.basicAck(lastToAck, true);
                unacked = 0;
            } catch (IOException | RuntimeException ex) {
                fail("acknowledging failed: " + BrokerErrors.rootMessage(ex));
            }
        }

        /**
         * Acknowledges what was handled while the channel is open (also after the broker cancelled a
         * consumer), then closes it: the broker requeues the rest. A delivery being handled finishes first.
         */
        void close() {
            synchronized (this) {
                closed = true;
                if (!channel.isOpen()) {
                    return;
                }
                flush();
            }
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException ex) {
                log.debug("{}: closing the consumer channel failed: {}", name, ex.toString());
            }
        }
    }
}
