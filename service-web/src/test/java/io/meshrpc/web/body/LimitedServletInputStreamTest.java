package io.meshrpc.web.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import org.junit.jupiter.api.Test;

/** A limited body fails one byte past its limit, having asked for no more than that, and says so once. */
class LimitedServletInputStreamTest {

    private final List<Long> refusals = new ArrayList<>();

    @Test
    void aBodyAtTheLimitIsReadWhole() throws IOException {
        LimitedServletInputStream in = new LimitedServletInputStream(body(100), 100, refusals::add);
        assertThat(in.readAllBytes()).hasSize(100);
        assertThat(refusals).isEmpty();
    }

    @Test
    void aBodyOverTheLimitFailsOneBytePastItWhateverTheReadSize() throws IOException {
        CountingBody source = body(10_000);
        LimitedServletInputStream in = new LimitedServletInputStream(source, 100, refusals::add);

        assertThatThrownBy(() -> in.read(new byte[8192])).isInstanceOf(RequestBodyTooLargeException.class);
        assertThatThrownBy(in::read).isInstanceOf(RequestBodyTooLargeException.class);
        assertThat(source.taken).isEqualTo(101);
        assertThat(refusals).containsExactly(101L);
    }

    @Test
    void singleByteReadsAreLimitedToo() throws IOException {
        LimitedServletInputStream in = new LimitedServletInputStream(body(10), 3, refusals::add);
        for (int i = 0; i < 3; i++) {
            assertThat(in.read()).isEqualTo('x');
        }
        assertThatThrownBy(in::read).isInstanceOf(RequestBodyTooLargeException.class)
                .hasMessageContaining("larger than 3 bytes");
    }

    private static CountingBody body(int size) {
        return new CountingBody(new ByteArrayInputStream("x".repeat(size).getBytes()));
    }

    /** A container's body that counts what was taken from it. */
    private static final class CountingBody extends ServletInputStream {
        private final ByteArrayInputStream in;
        private long taken;

        CountingBody(ByteArrayInputStream in) {
            this.in = in;
        }

        @Override
        public int read() {
            int b = in.read();
            taken += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, len);
            taken += Math.max(n, 0);
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
