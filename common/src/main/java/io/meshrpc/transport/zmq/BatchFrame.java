package io.meshrpc.transport.zmq;

import java.util.Arrays;

/**
 * Builds one frame of format 2 (see {@code docs/wire-format.md}, "Batch frames"): the format byte
 * {@code 0x02}, then items, each a type byte, its length as an unsigned LEB128 varint, and its bytes.
 * A DEALER sends envelopes this way ({@code B} binary, {@code E} JSON); a ROUTER sends ACKs
 * ({@code A}), NACKs ({@code N}) and replies ({@code B} or {@code E}). Java nodes write {@code B}. One frame then carries what would otherwise take one ZeroMQ message each:
 * JeroMQ's cost per message, and CURVE's box, are paid once per batch.
 *
 * <p>Reused: {@link #clear()} empties it without freeing the buffer. Owned by the I/O thread.
 */
final class BatchFrame {

    /** The first byte of a format-2 frame. A JSON envelope (format 1) starts with {@code {} or white space. */
    static final byte FORMAT = 0x02;
    static final byte ENVELOPE = 'E';
    static final byte BINARY_ENVELOPE = 'B';
    static final byte ACK = 'A';
    static final byte NACK = 'N';

    /** A frame is sent once the next item would take it past this (or max-message-bytes, if lower). */
    private static final int MAX_BYTES = 64 * 1024;
    /** An item's type byte and the longest length varint it may need. */
    static final int ITEM_OVERHEAD = 6;
    private static final int INITIAL_BYTES = 512;
    /** A buffer grown past this by a large envelope is let go when cleared, not kept for reuse. */
    private static final int RETAINED_BYTES = 64 * 1024;

    private byte[] buffer = new byte[INITIAL_BYTES];
    private int size;
    private int items;

    BatchFrame() {
        clear();
    }

    /**
     * The most a frame holds before it is sent: the receiver reads frames up to about twice its
     * {@code meshrpc.max-message-bytes}, so a frame stays within one, and within 64 KiB so that one
     * large batch does not hold up the messages behind it. One item larger than that goes alone.
     */
    static int limit(int maxMessageBytes) {
        return Math.min(MAX_BYTES, maxMessageBytes);
    }

    /** Whether an item of {@code length} bytes should go in the next frame instead, to keep this one within {@code limit}. */
    boolean full(int length, int limit) {
        return items > 0 && size + length + ITEM_OVERHEAD > limit;
    }

    void clear() {
        if (buffer.length > RETAINED_BYTES) {
            buffer = new byte[INITIAL_BYTES];
        }
        buffer[0] = FORMAT;
        size = 1;
        items = 0;
    }

    boolean isEmpty() {
        return items == 0;
    }

    int items() {
        return items;
    }

    /** Bytes written so far, the format byte included. */
    int size() {
        return size;
    }

    byte[] buffer() {
        return buffer;
    }

    void envelope(byte[] encoded) {
        header(ENVELOPE, encoded.length);
        put(encoded, 0, encoded.length);
    }

    /** An envelope in the binary encoding ({@code io.meshrpc.wire.EncodedEnvelope#binary()}). */
    void binaryEnvelope(byte[] encoded) {
        header(BINARY_ENVELOPE, encoded.length);
        put(encoded, 0, encoded.length);
    }

    void ack(byte[] id) {
        header(ACK, id.length);
        put(id, 0, id.length);
    }

    /** A NACK item: the id's length as a varint, the id, then the reason (a JSON object). */
    void nack(byte[] id, byte[] reason) {
        header(NACK, varintSize(id.length) + id.length + reason.length);
        varint(id.length);
        put(id, 0, id.length);
        put(reason, 0, reason.length);
    }

    /** The frame as a new array (tests and documentation examples; the I/O thread sends {@link #buffer()}). */
    byte[] toBytes() {
        return Arrays.copyOf(buffer, size);
    }

    private void header(byte type, int length) {
        ensure(1 + 5 + length);
        buffer[size++] = type;
        varint(length);
        items++;
    }

    private void varint(int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
    }

    static int varintSize(int value) {
        int n = 1;
        for (int v = value >>> 7; v != 0; v >>>= 7) {
            n++;
        }
        return n;
    }

    private void put(byte[] bytes, int offset, int length) {
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
