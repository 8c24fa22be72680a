package io.meshrpc.transport.zmq;

import java.nio.charset.StandardCharsets;

/**
 * The frame vocabulary of the ZeroMQ transport (see {@code docs/wire-format.md}).
 *
 * <p>DEALER to ROUTER: exactly one frame, the envelope. ROUTER to DEALER: a command frame followed
 * by its body: {@code ACK} and one or more envelope ids; {@code NACK}, an id and a JSON reason;
 * {@code REPLY} and the reply envelope.
 */
final class ZmqFrames {

    static final byte[] ACK = "ACK".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NACK = "NACK".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REPLY = "REPLY".getBytes(StandardCharsets.US_ASCII);

    /** The routing id of a DEALER that reads batch frames starts with these bytes and its format digit. */
    private static final byte[] ROUTING_ID_PREFIX = "mr/".getBytes(StandardCharsets.US_ASCII);
    private static final int ROUTING_ID_RANDOM_BYTES = 12;

    private ZmqFrames() {
    }

    /**
     * The routing id a DEALER announces the frame formats it reads with: {@code mr/} and the highest
     * format as one ASCII digit, then random bytes that keep it unique at every receiver.
     */
    static byte[] routingId(int format) {
        byte[] id = new byte[ROUTING_ID_PREFIX.length + 1 + ROUTING_ID_RANDOM_BYTES];
        System.arraycopy(ROUTING_ID_PREFIX, 0, id, 0, ROUTING_ID_PREFIX.length);
        id[ROUTING_ID_PREFIX.length] = (byte) ('0' + format);
        byte[] random = new byte[ROUTING_ID_RANDOM_BYTES];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
        System.arraycopy(random, 0, id, ROUTING_ID_PREFIX.length + 1, random.length);
        return id;
    }

    /**
     * The highest frame format the DEALER behind {@code identity} reads: the digit after {@code mr/},
     * or 1 for any other routing id (the ones JeroMQ and libzmq make up start with a zero byte).
     */
    static int formatOf(byte[] identity) {
        int n = ROUTING_ID_PREFIX.length;
        if (identity.length <= n) {
            return 1;
        }
        for (int i = 0; i < n; i++) {
            if (identity[i] != ROUTING_ID_PREFIX[i]) {
                return 1;
            }
        }
        byte digit = identity[n];
        return digit >= '1' && digit <= '9' ? digit - '0' : 1;
    }

    static boolean is(byte[] frame, byte[] command) {
        return java.util.Arrays.equals(frame, command);
    }

    /**
     * Whether {@code length} bytes of {@code b} at {@code offset} are the UTF-8 of {@code s}, told
     * without decoding them, where {@code s} is ASCII (as meshrpc's ids are). False for any other
     * {@code s}, even when equal: the caller then decodes and compares.
     */
    static boolean asciiEquals(String s, byte[] b, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte x = b[offset + i];
            if (x < 0 || s.charAt(i) != x) {
                return false;
            }
        }
        return true;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The NACK body: {@code {"type": ..., "message": ...}}, written without a mapper. */
    static byte[] nackBody(String type, String message) {
        return utf8("{\"type\":" + quote(type) + ",\"message\":" + quote(message) + "}");
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
