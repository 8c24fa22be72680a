package io.meshrpc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An incremental HTTP/1.1 response parser for {@link NioHttpClient}: fed whatever bytes arrived, it
 * consumes exactly one response and leaves the bytes of the next (a pipelined answer) in the buffer.
 *
 * <p>Bodies are framed by {@code Content-Length}, by {@code Transfer-Encoding: chunked} (chunk
 * extensions and trailers are skipped) or, without either, by the end of the connection. {@code 1xx}
 * interim answers are skipped; {@code 204}, {@code 304} and answers to {@code HEAD} have no body.
 * {@link #consumed()} counts every byte of the response, status line, headers and framing included.
 */
final class HttpResponseParser {

    /** A malformed response; the connection cannot be used any more. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    private enum State { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    static final int MAX_LINE = 16 * 1024;
    static final int MAX_BODY = 64 * 1024 * 1024;
    private static final byte[] EMPTY = new byte[0];

    /** Grows up to {@link #MAX_LINE}: a simulator holds one parser per connection, tens of thousands of them. */
    private byte[] line = new byte[128];
    private int lineLength;
    private State state = State.DONE;
    private boolean head;
    private int status;
    private Map<String, String> headers;
    private long remaining;
    private byte[] body;
    private int bodyLength;
    private long consumed;

    /** Starts parsing the answer to a new request ({@code head}: the request was a {@code HEAD}). */
    void start(boolean headRequest) {
        head = headRequest;
        state = State.STATUS;
        status = 0;
        headers = new LinkedHashMap<>();
        remaining = 0;
        body = EMPTY;
        bodyLength = 0;
        consumed = 0;
        lineLength = 0;
    }

    /** Whether {@link #start} was called and the response is not complete yet. */
    boolean active() {
        return state != State.DONE;
    }

    /** Whether nothing of the current response has arrived yet. */
    boolean untouched() {
        return state == State.STATUS && consumed == 0;
    }

    /**
     * Consumes bytes of the current response from {@code in}; {@code true} once it is complete, with
     * the bytes after it left in {@code in}; {@code false} when {@code in} ran out first.
     */
    boolean feed(ByteBuffer in) throws ProtocolException {
        while (state != State.DONE) {
            switch (state) {
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
                    if (!readLine(in)) {
                        return false;
                    }
                    onLine();
                }
                case BODY, CHUNK_DATA -> {
                    if (!in.hasRemaining()) {
                        return false;
                    }
                    int n = (int) Math.min(remaining, in.remaining());
                    append(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == State.BODY ? State.DONE : State.CHUNK_END;
                    }
                }
                case UNTIL_CLOSE -> {
                    if (in.hasRemaining()) {
                        append(in, in.remaining());
                    }
                    return false;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return true;
    }

    /** The connection ended: completes a body framed by the end of the connection ({@code true}), else {@code false}. */
    boolean endOfStream() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            return true;
        }
        return false;
    }

    int status() {
        return status;
    }

    /** Header names in lower case; a repeated header's values joined with {@code ", "}. */
    Map<String, String> headers() {
        return headers;
    }

    byte[] body() {
        return bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
    }

    /** Forgets the last response's body and headers (a connection may wait a minute for its next one). */
    void release() {
        body = EMPTY;
        bodyLength = 0;
        headers = Map.of();
    }

    /** Bytes of the current response consumed so far, framing included. */
    long consumed() {
        return consumed;
    }

    /** Whether the server asked to close the connection after this response (or framed it by closing). */
    boolean closeAfter() {
        String connection = headers.get("connection");
        return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
    }

    private boolean readLine(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            byte b = in.get();
            consumed++;
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            if (lineLength == line.length) {
                if (lineLength == MAX_LINE) {
                    throw new ProtocolException("a line longer than " + MAX_LINE + " bytes");
                }
                line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private void onLine() throws ProtocolException {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        switch (state) {
            case STATUS -> status(text);
            case HEADERS -> {
                if (text.isEmpty()) {
                    endOfHeaders();
                } else {
                    header(text);
                }
            }
            case CHUNK_SIZE -> {
                int semicolon = text.indexOf(';');
                String size = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
                try {
                    remaining = Long.parseLong(size, 16);
                } catch (NumberFormatException ex) {
                    throw new ProtocolException("bad chunk size '" + size + "'");
                }
                if (remaining < 0) {
                    throw new ProtocolException("bad chunk size '" + size + "'");
                }
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_END -> {
                if (!text.isEmpty()) {
                    throw new ProtocolException("no CRLF after a chunk");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (text.isEmpty()) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void status(String text) throws ProtocolException {
        // "HTTP/1.1 200 OK", or "HTTP/1.1 200 " (Tomcat sends no reason phrase)
        if (!text.startsWith("HTTP/1.") || text.length() < 12 || text.charAt(8) != ' ') {
            throw new ProtocolException("bad status line '" + abbreviate(text) + "'");
        }
        try {
            status = Integer.parseInt(text.substring(9, 12));
        } catch (NumberFormatException ex) {
            throw new ProtocolException("bad status line '" + abbreviate(text) + "'");
        }
        state = State.HEADERS;
    }

    private void header(String text) throws ProtocolException {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new ProtocolException("bad header line '" + abbreviate(text) + "'");
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        headers.merge(name, value, (a, b) -> a + ", " + b);
    }

    private void endOfHeaders() throws ProtocolException {
        if (status >= 100 && status < 200) {
            // an interim answer (100 Continue): the real one follows
            state = State.STATUS;
            headers = new LinkedHashMap<>();
            return;
        }
        if (head || status == 204 || status == 304) {
            state = State.DONE;
            return;
        }
        String encoding = headers.get("transfer-encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            String[] codings = encoding.split(",");
            if (!codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
                throw new ProtocolException("unsupported Transfer-Encoding '" + encoding + "'");
            }
            state = State.CHUNK_SIZE;
            return;
        }
        String length = headers.get("content-length");
        if (length != null) {
            try {
                remaining = Long.parseLong(length);
            } catch (NumberFormatException ex) {
                throw new ProtocolException("bad Content-Length '" + length + "'");
            }
            if (remaining < 0 || remaining > MAX_BODY) {
                throw new ProtocolException("Content-Length " + remaining + " out of range");
            }
            body = new byte[(int) remaining];
            state = remaining == 0 ? State.DONE : State.BODY;
            return;
        }
        state = State.UNTIL_CLOSE;
    }

    private void append(ByteBuffer in, int n) throws ProtocolException {
        if ((long) bodyLength + n > MAX_BODY) {
            throw new ProtocolException("a body larger than " + MAX_BODY + " bytes");
        }
        if (bodyLength + n > body.length) {
            body = Arrays.copyOf(body, Math.max(bodyLength + n, Math.min(MAX_BODY, Math.max(256, body.length * 2))));
        }
        in.get(body, bodyLength, n);
        bodyLength += n;
        consumed += n;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
