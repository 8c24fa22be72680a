package io.meshrpc.wire;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The binary encoding of an envelope that batch frames carry ({@code docs/wire-format.md} §4.7): the
 * header's fields in a fixed order as length-prefixed strings and varints, and the arguments or the
 * result as the same JSON text the JSON encoding holds. Reading it takes no JSON parsing of the
 * header and no field-name matching; the payload stays JSON, so what applications send is the same
 * in both encodings.
 *
 * <pre>
 * kind (1 byte: 1 CAST, 2 CALL, 3 REPLY, 4 HEARTBEAT) | flags (1 byte: 1 fanout, 2 error)
 * id | topic | server | method | replyTo | correlationId | from      (each a string; empty = absent)
 * deadline (varint, epoch ms; 0 = none)
 * ctx entries (varint count), each key and value (strings)
 * error type and message (strings), only with the error flag
 * payload: the rest: args (a JSON array; empty = none), or result (JSON; a REPLY without error)
 * </pre>
 * A string is its UTF-8 length as an unsigned LEB128 varint, then its bytes.
 */
final class BinaryEnvelopes {

    private static final int CAST = 1;
    private static final int CALL = 2;
    private static final int REPLY = 3;
    private static final int HEARTBEAT = 4;
    private static final int FLAG_FANOUT = 1;
    private static final int FLAG_ERROR = 2;
    /** Lengths and counts: at most 4 varint bytes (2^28); a deadline: at most 9 (2^63). */
    private static final int MAX_LENGTH_BYTES = 4;
    private static final int MAX_LONG_BYTES = 9;
    /** id, topic, server, method, replyTo, correlationId and from, in that order. */
    private static final int HEADER_STRINGS = 7;
    private static final byte[] NO_BYTES = {};

    private BinaryEnvelopes() {
    }

    static byte[] encode(Envelope e, byte[] payload, RecurringStrings names) {
        return encode(e, payload, null, payload == null ? 0 : payload.length, names);
    }

    /**
     * A request whose arguments are plain strings and nulls ({@link PlainJson#argTexts}), written as
     * their JSON array straight into the envelope: no array of the JSON of its own.
     */
    static byte[] encodeWithPlainArgs(Envelope e, byte[][] argTexts, int argsSize, RecurringStrings names) {
        return encode(e, null, argTexts, argsSize, names);
    }

    /** The payload is {@code payload}, or the JSON array of {@code argTexts}, of {@code payloadSize} bytes. */
    private static byte[] encode(Envelope e, byte[] payload, byte[][] argTexts, int payloadSize,
                                 RecurringStrings names) {
        int kind = switch (e.kind()) {
            case CAST -> CAST;
            case CALL -> CALL;
            case REPLY -> REPLY;
            case HEARTBEAT -> HEARTBEAT;
            // it names its pool in 'namespace', which only JSON carries (Envelope.needsJson)
            case NOTIFY -> throw new IllegalArgumentException("A NOTIFY travels as JSON only");
        };
        // The strings are made first, so that the envelope is written once into an array of its size:
        // a guessed size grew and was trimmed, two copies of every envelope.
        byte[][] strings = new byte[HEADER_STRINGS + 2 * e.ctx().size() + 2][];
        strings[0] = utf8(e.id());
        strings[1] = name(e.topic(), names);
        strings[2] = name(e.server(), names);
        strings[3] = name(e.method(), names);
        strings[4] = name(e.replyTo(), names);
        strings[5] = utf8(e.correlationId());
        strings[6] = name(e.from(), names);
        int n = HEADER_STRINGS;
        for (Map.Entry<String, String> entry : e.ctx().entrySet()) {
            strings[n++] = name(entry.getKey(), names);
            strings[n++] = utf8(entry.getValue());
        }
        if (e.error() != null) {
            strings[n++] = name(e.error().type(), names);
            strings[n++] = utf8(e.error().message());
        }
        long deadline = Math.max(0, e.deadline());
        int size = 2 + varlongSize(deadline) + varlongSize(e.ctx().size()) + (e.error() == null ? payloadSize : 0);
        for (int i = 0; i < n; i++) {
            size += varlongSize(strings[i].length) + strings[i].length;
        }
        Writer w = new Writer(size);
        w.u8(kind);
        w.u8((e.fanout() ? FLAG_FANOUT : 0) | (e.error() != null ? FLAG_ERROR : 0));
        for (int i = 0; i < HEADER_STRINGS; i++) {
            w.string(strings[i]);
        }
        w.varlong(deadline);
        w.varlong(e.ctx().size());
        for (int i = HEADER_STRINGS; i < n; i++) {
            w.string(strings[i]);
        }
        if (e.error() == null && payload != null) {
            w.bytes(payload);
        } else if (e.error() == null && argTexts != null) {
            w.size = PlainJson.writeArgs(argTexts, w.buffer, w.size);
        }
        return w.buffer;
    }

    private static byte[] utf8(String s) {
        return s == null ? NO_BYTES : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of a string that recurs from one envelope to the next, such as a topic. */
    private static byte[] name(String s, RecurringStrings names) {
        return s == null ? NO_BYTES : names.encode(s);
    }

    /** How many bytes {@code value} takes as an unsigned LEB128 varint. */
    private static int varlongSize(long value) {
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }

    /**
     * Reads the header into {@code f}, and returns where the payload starts; every length is checked
     * against what is left before anything is read.
     */
    static int decodeHeader(byte[] b, int offset, int length, EnvelopeFields f, RecurringStrings names) {
        Reader r = new Reader(b, offset, length, names);
        int kind = r.u8();
        f.kind = switch (kind) {
            case CAST -> "CAST";
            case CALL -> "CALL";
            case REPLY -> "REPLY";
            case HEARTBEAT -> "HEARTBEAT";
            default -> throw EnvelopeFields.invalid("unknown kind " + kind + " in a binary envelope");
        };
        int flags = r.u8();
        f.v = Envelope.VERSION;
        f.fanout = (flags & FLAG_FANOUT) != 0;
        f.id = r.string();
        f.topic = r.name();
        f.server = r.name();
        f.method = r.name();
        f.replyTo = r.name();
        f.correlationId = r.string();
        f.from = r.name();
        f.deadline = r.varlong();
        int entries = r.length();
        if (entries > EnvelopeFields.MAX_CTX_ENTRIES) {
            throw EnvelopeFields.invalid("ctx has more than " + EnvelopeFields.MAX_CTX_ENTRIES + " entries");
        }
        Map<String, String> ctx = entries == 0 ? Map.of() : new HashMap<>(entries * 2);
        for (int i = 0; i < entries; i++) {
            String key = r.name();
            String value = r.string();
            ctx.put(key == null ? "" : key, value == null ? "" : value);
        }
        f.ctx = ctx;
        if ((flags & FLAG_ERROR) != 0) {
            String type = r.name();
            if (type == null) {
                throw EnvelopeFields.invalid("error.type is required");
            }
            f.error = new ErrorInfo(type, r.string());
        }
        return r.position;
    }

    /** Writes into an array of the envelope's exact size; one per envelope, on the thread that encodes it. */
    private static final class Writer {
        private final byte[] buffer;
        private int size;

        Writer(int exactSize) {
            buffer = new byte[exactSize];
        }

        void u8(int value) {
            buffer[size++] = (byte) value;
        }

        void varlong(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[size++] = (byte) v;
        }

        /** An absent string is written as an empty one: length 0. */
        void string(byte[] utf8) {
            varlong(utf8.length);
            bytes(utf8);
        }

        void bytes(byte[] bytes) {
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }
    }

    /** Reads within {@code [offset, offset + length)} only; anything that would pass its end is refused. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private final RecurringStrings names;
        int position;

        Reader(byte[] bytes, int offset, int length, RecurringStrings names) {
            this.bytes = bytes;
            this.names = names;
            this.position = offset;
            this.end = offset + length;
        }

        int u8() {
            if (position == end) {
                throw EnvelopeFields.malformed("binary envelope ends early");
            }
            return bytes[position++] & 0xFF;
        }

        int length() {
            return (int) varlong(MAX_LENGTH_BYTES);
        }

        long varlong() {
            return varlong(MAX_LONG_BYTES);
        }

        private long varlong(int maxBytes) {
            long value = 0;
            for (int i = 0; i < maxBytes; i++) {
                int b = u8();
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw EnvelopeFields.malformed("varint longer than " + maxBytes + " bytes in a binary envelope");
        }

        /** A string; null when empty (absent). */
        String string() {
            return string(false);
        }

        /** A string that recurs from one envelope to the next, such as a topic; null when empty (absent). */
        String name() {
            return string(true);
        }

        private String string(boolean recurring) {
            int length = length();
            if (length > end - position) {
                throw EnvelopeFields.malformed("string of " + length + " bytes overruns the binary envelope");
            }
            if (length == 0) {
                return null;
            }
            String s = recurring ? names.decode(bytes, position, length)
                    : new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }
    }
}
