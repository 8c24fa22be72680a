package io.meshrpc.transport.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The I/O thread's poll over real pipes. A pipe with a byte nobody consumes stands for a JeroMQ
 * signal channel left readable with nothing to read (its signal byte written, not yet counted).
 */
class ZmqSelectorTest {

    private final ZmqSelector selector = new ZmqSelector();
    /** Held by the polling thread, as the I/O thread holds it; the poll lets go of it while it waits. */
    private final ReentrantLock sockets = new ReentrantLock();
    private Pipe pipe;

    @BeforeEach
    void openPipe() throws IOException {
        sockets.lock();
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        selector.close();
        pipe.sink().close();
        pipe.source().close();
    }

    @Test
    void aChannelReadableWithNothingToReadIsParkedAfterTwoEmptyRoundsAndReadAgainAfterwards() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        ZmqSelector.Key key = selector.registerParkable(pipe.source(), () -> {
            reads.incrementAndGet();
            return false; // like a socket whose recv finds nothing: the byte stays in the pipe
        });
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

        selector.poll(10_000, sockets);
        assertThat(selector.isParked(key)).as("one empty round is not enough").isFalse();
        selector.poll(10_000, sockets);
        assertThat(selector.isParked(key)).as("parked after two empty rounds").isTrue();
        assertThat(reads).hasValue(2);

        // Parked, it is out of the select: this poll would wait 10 s if it waited for the parked
        // channel alone; it returns after the park and reads the channel once more.
        selector.poll(10_000, sockets);
        assertThat(reads).hasValue(3);
        assertThat(selector.isParked(key)).isFalse();
    }

    @Test
    void aChannelWhoseSourceReadsSomethingIsNeverParked() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1);
        AtomicInteger reads = new AtomicInteger();
        ZmqSelector.Key key = selector.registerParkable(pipe.source(), () -> {
            try {
                int read = pipe.source().read(buffer.clear());
                reads.incrementAndGet();
                return read > 0;
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        for (int i = 0; i < 5; i++) {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2}));
            selector.poll(10_000, sockets);
            assertThat(selector.isParked(key)).isFalse();
        }
        assertThat(reads.get()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aPlainChannelIsNeverParkedItsSourceConsumesWhatMadeItReadable() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        ByteBuffer buffer = ByteBuffer.allocate(8);
        ZmqSelector.Key key = selector.register(pipe.source(), () -> {
            reads.incrementAndGet();
            try {
                pipe.source().read(buffer.clear());
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            return false; // the wake-up pipe: drained, never asks to be read again
        });
        for (int i = 0; i < 3; i++) {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            selector.poll(10_000, sockets);
            assertThat(selector.isParked(key)).isFalse();
        }
        assertThat(reads).hasValue(3);
    }

    @Test
    @Timeout(30)
    void aPollToldItMayNotWaitReadsWhatIsReadyAndReturnsAtOnce() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        selector.register(pipe.source(), () -> {
            reads.incrementAndGet();
            return false;
        });

        // Nothing is readable: a poll allowed to wait would wait the full minute.
        selector.poll(60_000, sockets, () -> false);

        assertThat(reads).hasValue(0);
    }

    @Test
    void aPollWithAMarkedSourceDoesNotAskWhetherItMayWait() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger asked = new AtomicInteger();
        ZmqSelector.Key key = selector.register(pipe.source(), () -> {
            reads.incrementAndGet();
            return false;
        });
        selector.mark(key);

        selector.poll(60_000, sockets, () -> {
            asked.incrementAndGet();
            return true;
        });

        assertThat(reads).hasValue(1);
        assertThat(asked).as("the I/O thread stays awake, so queued work needs no wake-up").hasValue(0);
    }
}
