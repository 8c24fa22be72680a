package io.meshrpc.transport.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

import org.zeromq.ZMQ;

/**
 * The I/O thread's poll: one {@link Selector} over the ZeroMQ sockets' notification channels
 * ({@code ZMQ_FD}) and the wake-up pipe, kept registered from one round to the next.
 *
 * <p>Why not {@code ZMQ.Poller}: in JeroMQ 0.6 every poll rebuilds a map of its registrations, asks
 * every socket for {@code ZMQ_EVENTS}, selects twice (once without waiting), and reports a plain
 * channel readable again whenever any other item is ready, because it reads the key's stale ready
 * set. In the cast benchmark that was one useless read of the wake-up pipe per round, and more
 * than one round per message.
 *
 * <p>{@code ZMQ_FD} signals new commands, not readable messages, and any send or receive on the
 * socket may consume the signal. So a source that read something, or whose socket was written to,
 * is marked to be read again in the next round ({@link #mark}), and that round's select does not
 * wait. At the end of a round, marks are kept only on sockets whose {@code ZMQ_EVENTS} show input
 * ({@link #settleMarked}): asking re-arms the signal as an empty read would, so an idle I/O thread
 * goes to sleep after one round, not two.
 *
 * <p>{@code ZMQ_FD} can also stay readable with nothing to read. Upstream JeroMQ 0.6 writes a
 * command's signal byte before it counts it, and reads only the bytes it has counted: a socket that
 * looks in between leaves the byte in the pipe until the writing thread (JeroMQ's I/O thread) runs
 * again. Selecting on it spun — measured at 300,000 empty rounds a second per node in the call
 * benchmark, taking the CPU from the very thread that would end it. meshrpc's JeroMQ counts first
 * (decision 28), which closes that window; this class still does not trust a readable channel to
 * have something to read. A socket that is selected and has nothing to read
 * {@value #EMPTY_ROUNDS_BEFORE_PARKING} rounds in a row is parked: left out of the select for a
 * round that waits at most {@value #PARK_MILLIS} ms, then read again.
 */
final class ZmqSelector implements AutoCloseable {

    /** What to do when a registered channel may have input. */
    @FunctionalInterface
    interface Source {
        /** Reads what is there now; true if it read anything, so that it is read again next round. */
        boolean read();
    }

    static final int EMPTY_ROUNDS_BEFORE_PARKING = 2;
    static final long PARK_MILLIS = 1;

    /** One registration; {@link #cancel()} it before its socket is closed. */
    static final class Key {
        private final SelectionKey key;
        private final Source source;
        /** The socket whose notification channel this is; null for a plain channel. */
        private final ZMQ.Socket socket;
        private final boolean parkable;
        private boolean marked;
        private boolean selected;
        private boolean cancelled;
        private int emptyRounds;

        private Key(SelectionKey key, Source source, ZMQ.Socket socket, boolean parkable) {
            this.key = key;
            this.source = source;
            this.socket = socket;
            this.parkable = parkable;
        }

        void cancel() {
            cancelled = true;
            key.cancel();
        }
    }

    private final Selector selector;
    private List<Key> marked = new ArrayList<>();
    private List<Key> reading = new ArrayList<>();
    private final List<Key> parked = new ArrayList<>();

    ZmqSelector() {
        try {
            selector = Selector.open();
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot open the I/O thread's selector", ex);
        }
    }

    /**
     * Polls a socket's notification channel. The socket is read once in the next round whatever it
     * signals: a pipe whose reader never found it empty sends no signal for its first messages.
     */
    Key register(ZMQ.Socket socket, Source source) {
        Key key = register(socket.getFD(), source, socket, true);
        mark(key);
        return key;
    }

    /** Polls a plain channel whose source consumes what makes it readable (it is never parked). */
    Key register(SelectableChannel channel, Source source) {
        return register(channel, source, null, false);
    }

    /** Like {@link #register(ZMQ.Socket, Source)} for any channel; for tests. */
    Key registerParkable(SelectableChannel channel, Source source) {
        return register(channel, source, null, true);
    }

    /** Whether {@code key} is left out of the next select (tests). */
    boolean isParked(Key key) {
        return parked.contains(key);
    }

    private Key register(SelectableChannel channel, Source source, ZMQ.Socket socket, boolean parkable) {
        try {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Key registration = new Key(key, source, socket, parkable);
            key.attach(registration);
            return registration;
        } catch (ClosedChannelException ex) {
            throw new IllegalStateException("Cannot poll a closed channel", ex);
        }
    }

    /** Reads {@code key}'s source in the next round, whether or not its channel signals. */
    void mark(Key key) {
        if (!key.marked && !key.cancelled) {
            key.marked = true;
            marked.add(key);
        }
    }

    /**
     * Waits until a channel signals or {@code timeoutMillis} pass, without waiting at all while a
     * source is marked; then reads every marked or signalled source once.
     *
     * @param sockets held by the calling thread; released only while it waits, so that another thread
     *                may use the sockets meanwhile ({@link #settleMarked()} then tells what it left)
     */
    void poll(long timeoutMillis, Lock sockets) throws IOException {
        poll(timeoutMillis, sockets, () -> true);
    }

    /**
     * Like {@link #poll(long, Lock)}, asking {@code mayWait} first whenever it would wait: false
     * (work is queued for the calling thread) makes it read what is ready without waiting.
     */
    void poll(long timeoutMillis, Lock sockets, BooleanSupplier mayWait) throws IOException {
        int ready;
        if (!marked.isEmpty() || !mayWait.getAsBoolean()) {
            ready = selector.selectNow();
        } else {
            long wait = parked.isEmpty() ? timeoutMillis : Math.min(timeoutMillis, PARK_MILLIS);
            sockets.unlock();
            try {
                ready = selector.select(wait);
            } finally {
                sockets.lock();
            }
        }
        unpark();
        if (ready > 0) {
            Set<SelectionKey> selected = selector.selectedKeys();
            for (SelectionKey selectionKey : selected) {
                Key key = (Key) selectionKey.attachment();
                key.selected = true;
                mark(key);
            }
            selected.clear();
        }
        List<Key> now = marked;
        marked = reading;
        reading = now;
        for (Key key : now) {
            key.marked = false;
            if (!key.cancelled) {
                read(key);
            }
            key.selected = false;
        }
        now.clear();
    }

    private void read(Key key) {
        if (key.source.read()) {
            key.emptyRounds = 0;
            mark(key);
        } else if (key.selected && key.parkable && ++key.emptyRounds >= EMPTY_ROUNDS_BEFORE_PARKING) {
            key.emptyRounds = 0;
            key.key.interestOps(0);
            parked.add(key);
        }
    }

    /**
     * Keeps marked only the sockets that have input to read now. A socket without input needs no
     * read: asking for its events re-armed its signal, as a read that found it empty does. Called
     * at the end of the I/O thread's round, so that it waits at once instead of reading every socket
     * it used once more, and by another thread that used sockets while the I/O thread waited.
     *
     * @return whether a marked source is left: the next poll must not wait (another thread then
     *         {@linkplain #wakeup() wakes} it)
     */
    boolean settleMarked() {
        boolean input = false;
        for (int i = marked.size() - 1; i >= 0; i--) {
            Key key = marked.get(i);
            if (key.socket != null && !key.cancelled && (key.socket.getEvents() & ZMQ.Poller.POLLIN) == 0) {
                key.marked = false;
                marked.remove(i);
            } else {
                input = true;
            }
        }
        return input;
    }

    /** Ends the poll's wait from another thread, or makes the next one return at once. */
    void wakeup() {
        selector.wakeup();
    }

    /** Parked sockets take part in the select again, and are read this round whatever it said. */
    private void unpark() {
        for (Key key : parked) {
            if (!key.cancelled) {
                key.key.interestOps(SelectionKey.OP_READ);
                mark(key);
            }
        }
        parked.clear();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
