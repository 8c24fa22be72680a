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

    private ZmqFrames() {
    }

    static boolean is(byte[] frame, byte[] command) {
        return java.util.Arrays.equals(frame, command);
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
