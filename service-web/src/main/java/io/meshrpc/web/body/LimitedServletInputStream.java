package io.meshrpc.web.body;

import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * A request body that throws {@link RequestBodyTooLargeException} as soon as more than {@code limit} bytes were
 * read from it. It never asks the container for more than one byte past the limit, so a refused body costs the
 * server at most {@code limit + 1} bytes, however long the client keeps sending.
 */
final class LimitedServletInputStream extends ServletInputStream {

    private final ServletInputStream body;
    private final long limit;
    private final BodyReadListener listener;
    private long read;
    private boolean refused;

    /** Told how much of a body was read when it is refused. */
    interface BodyReadListener {
        void refused(long bytesRead);
    }

    LimitedServletInputStream(ServletInputStream body, long limit, BodyReadListener listener) {
        this.body = body;
        this.limit = limit;
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        checkNotOver();
        int b = body.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkNotOver();
        if (length == 0) {
            return 0;
        }
        // one byte past the limit is enough to know the body is too large
        int allowed = (int) Math.min(length, limit - read + 1);
        int n = body.read(buffer, offset, allowed);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public int readLine(byte[] buffer, int offset, int length) throws IOException {
        checkNotOver();
        int allowed = (int) Math.min(length, limit - read + 1);
        int n = body.readLine(buffer, offset, allowed);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return body.available();
    }

    @Override
    public boolean isFinished() {
        return body.isFinished();
    }

    @Override
    public boolean isReady() {
        return body.isReady();
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        body.setReadListener(readListener);
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    private void counted(int n) {
        read += n;
        checkNotOver();
    }

    private void checkNotOver() {
        if (read > limit) {
            if (!refused) {
                refused = true;
                listener.refused(read);
            }
            throw new RequestBodyTooLargeException(limit);
        }
    }
}
