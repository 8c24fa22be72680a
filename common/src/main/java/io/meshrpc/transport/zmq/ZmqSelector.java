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
 * is read again in the next round ({@link #mark}), and that round's select does not wait.
 */
final class ZmqSelector implements AutoCloseable {

    /** What to do when a registered channel may have input. */
    @FunctionalInterface
    interface Source {
        /** Reads what is there now; true if it read anything, so that it is read again next round. */
        boolean read();
    }

    /** One registration; {@link #cancel()} it before its socket is closed. */
    static final class Key {
        private final SelectionKey key;
        private final Source source;
        private boolean marked;
        private boolean cancelled;

        private Key(SelectionKey key, Source source) {
            this.key = key;
            this.source = source;
        }

        void cancel() {
            cancelled = true;
            key.cancel();
        }
    }

    private final Selector selector;
    private List<Key> marked = new ArrayList<>();
    private List<Key> reading = new ArrayList<>();

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
        Key key = register(socket.getFD(), source);
        mark(key);
        return key;
    }

    Key register(SelectableChannel channel, Source source) {
        try {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Key registration = new Key(key, source);
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
     */
    void poll(long timeoutMillis) throws IOException {
        int ready = marked.isEmpty() ? selector.select(timeoutMillis) : selector.selectNow();
        if (ready > 0) {
            Set<SelectionKey> selected = selector.selectedKeys();
            for (SelectionKey key : selected) {
                mark((Key) key.attachment());
            }
            selected.clear();
        }
        List<Key> now = marked;
        marked = reading;
        reading = now;
        for (Key key : now) {
            key.marked = false;
            if (!key.cancelled && key.source.read()) {
                mark(key);
            }
        }
        now.clear();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
