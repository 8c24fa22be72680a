package zmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import zmq.util.Errno;

/**
 * The one behaviour meshrpc changes in JeroMQ: a signal is counted no later than its byte can be
 * read, so a reader that sees the pipe readable can always take what it sees.
 */
class SignalerTest {

    private Ctx ctx;
    private Signaler signaler;

    @BeforeEach
    void open() {
        ctx = new Ctx();
        signaler = new Signaler(ctx, 1, new Errno());
    }

    @AfterEach
    void close() throws Exception {
        signaler.close();
        ctx.terminate();
    }

    @Test
    void aSignalIsCountedBeforeItsByteIsWritten() throws Exception {
        // A full pipe holds the signal's write back: the sender is then between counting and writing,
        // the moment that upstream JeroMQ (count after write) would still show nothing.
        Pipe.SinkChannel sink = (Pipe.SinkChannel) field("w");
        ByteBuffer filler = ByteBuffer.allocate(4096);
        int filled = 0;
        for (int n; (n = sink.write(filler.clear())) > 0; ) {
            filled += n;
        }
        Thread sender = new Thread(signaler::send, "signal-sender");
        sender.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> signaler.waitEvent(0));
        assertThat(sender.isAlive()).as("the sender is still waiting to write its byte").isTrue();

        Pipe.SourceChannel source = (Pipe.SourceChannel) signaler.getFd();
        ByteBuffer drain = ByteBuffer.allocate(filled);
        while (drain.hasRemaining()) {
            source.read(drain);
        }
        sender.join(5_000);
        assertThat(sender.isAlive()).isFalse();
        signaler.recv();
        assertThat(signaler.waitEvent(0)).as("the one signal was taken").isFalse();
    }

    @Test
    void aReadableSignalIsTakenAndLeavesThePipeEmpty() throws Exception {
        signaler.send();

        assertThat(signaler.waitEvent(0)).isTrue();
        signaler.recv();

        assertThat(signaler.waitEvent(0)).isFalse();
        try (Selector selector = Selector.open()) {
            signaler.getFd().register(selector, SelectionKey.OP_READ);
            assertThat(selector.selectNow()).as("no byte is left behind to make the pipe readable").isZero();
        }
    }

    private Object field(String name) throws ReflectiveOperationException {
        Field field = Signaler.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(signaler);
    }
}
