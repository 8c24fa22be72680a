package io.meshrpc.transport.zmq;

import java.nio.charset.StandardCharsets;

import io.meshrpc.wire.WireFormatException;

/**
 * Walks the items of one format-2 frame ({@link BatchFrame}) in place, without copying them. Every
 * length is checked against what is left of the frame before anything is read, and a varint longer
 * than four bytes (2^28) is refused, so a hostile frame can only end the walk early: {@link #next()}
 * then throws, and the items before it stand.
 */
final class BatchFrameReader {

    private static final int MAX_VARINT_BYTES = 4;

    private final byte[] frame;
    private int position;
    private byte type;
    private int offset;
    private int length;

    /** @param frame a frame whose first byte is {@link BatchFrame#FORMAT} */
    BatchFrameReader(byte[] frame) {
        this.frame = frame;
        this.position = 1;
    }

    static boolean isBatch(byte[] frame) {
        return frame.length > 0 && frame[0] == BatchFrame.FORMAT;
    }

    /**
     * Moves to the next item.
     *
     * @return false at the end of the frame
     * @throws WireFormatException if the rest of the frame is not a well-formed item
     */
    boolean next() {
        if (position == frame.length) {
            return false;
        }
        type = frame[position++];
        length = readVarint();
        if (length > frame.length - position) {
            throw malformed("item of " + length + " bytes overruns the frame (" + (frame.length - position) + " left)");
        }
        offset = position;
        position += length;
        return true;
    }

    byte type() {
        return type;
    }

    byte[] frame() {
        return frame;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    /** The item's bytes as UTF-8 text (an ACK's id). */
    String text() {
        return new String(frame, offset, length, StandardCharsets.UTF_8);
    }

    /** Whether the item is the text {@code ascii}, told without decoding it (see {@link ZmqFrames#asciiEquals}). */
    boolean textIs(String ascii) {
        return ZmqFrames.asciiEquals(ascii, frame, offset, length);
    }

    /** A NACK item read as its id and reason (a JSON object as text). */
    Nack nack() {
        int end = offset + length;
        int idLength = 0;
        int p = offset;
        for (int shift = 0; ; shift += 7) {
            if (p == end || shift == 7 * MAX_VARINT_BYTES) {
                throw malformed("NACK item without a well-formed id length");
            }
            byte b = frame[p++];
            idLength |= (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (idLength == 0 || idLength > end - p) {
            throw malformed("NACK item's id of " + idLength + " bytes does not fit the item");
        }
        return new Nack(new String(frame, p, idLength, StandardCharsets.UTF_8),
                new String(frame, p + idLength, end - p - idLength, StandardCharsets.UTF_8));
    }

    record Nack(String id, String reason) {
    }

    private int readVarint() {
        int value = 0;
        for (int shift = 0; shift < 7 * MAX_VARINT_BYTES; shift += 7) {
            if (position == frame.length) {
                throw malformed("frame ends inside an item's length");
            }
            byte b = frame[position++];
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw malformed("item length longer than " + MAX_VARINT_BYTES + " bytes");
    }

    private static WireFormatException malformed(String message) {
        return new WireFormatException(WireFormatException.Reason.MALFORMED, "Malformed batch frame: " + message);
    }
}
