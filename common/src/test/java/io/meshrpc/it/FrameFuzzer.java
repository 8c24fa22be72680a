package io.meshrpc.it;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Generates frames that are never a valid request, from a seed (a failure can be replayed):
 * random bytes, truncated and corrupted envelopes, bad UTF-8, deep nesting, oversized frames,
 * unknown versions, and replies sent where requests belong.
 */
final class FrameFuzzer {

    /**
     * Malformed sequences the JSON parser refuses. Not here: overlong encodings such as
     * {@code C0 AF}, which Jackson decodes leniently; such a frame becomes a call to an unknown
     * method and is answered as one ({@code meshrpc.UnknownMethod}), which is also safe.
     */
    private static final byte[][] BAD_UTF8 = {{(byte) 0xC3, 0x28}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF},
            {(byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0xBC}};

    private final Random random;
    private final int maxMessageBytes;
    private long counter;

    FrameFuzzer(long seed, int maxMessageBytes) {
        this.random = new Random(seed);
        this.maxMessageBytes = maxMessageBytes;
    }

    byte[] next() {
        return switch (random.nextInt(8)) {
            case 0 -> randomBytes();
            case 1 -> truncated();
            case 2 -> badUtf8();
            case 3 -> deeplyNested();
            case 4 -> random.nextInt(50) == 0 ? oversized() : truncated();
            case 5 -> utf8(envelope().replace("\"v\":1", "\"v\":" + (2 + random.nextInt(1000))));
            case 6 -> utf8(envelope().replace("\"kind\":\"CAST\"", "\"kind\":\"REPLY\""));
            default -> utf8(envelope().replace("\"topic\":\"compute\"", "\"topic\":\"Bad Topic!\""));
        };
    }

    private String envelope() {
        return "{\"v\":1,\"id\":\"fuzz-" + (counter++) + "\",\"kind\":\"CAST\",\"topic\":\"compute\","
                + "\"method\":\"buildInstance\",\"args\":[\"vm-" + random.nextInt(1000) + "\"]}";
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        bytes[0] = (byte) (random.nextBoolean() ? '{' : bytes[0]);
        return bytes;
    }

    private byte[] truncated() {
        byte[] full = utf8(envelope());
        byte[] cut = new byte[1 + random.nextInt(full.length - 1)];
        System.arraycopy(full, 0, cut, 0, cut.length);
        return cut;
    }

    private byte[] badUtf8() {
        String env = envelope();
        int at = env.indexOf("buildInstance") + random.nextInt(5);
        byte[] head = utf8(env.substring(0, at));
        byte[] tail = utf8(env.substring(at));
        byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
        byte[] out = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(bad, 0, out, head.length, bad.length);
        System.arraycopy(tail, 0, out, head.length + bad.length, tail.length);
        return out;
    }

    private byte[] deeplyNested() {
        int depth = 2_000 + random.nextInt(8_000);
        return utf8("{\"v\":1,\"id\":\"deep-" + (counter++) + "\",\"kind\":\"CAST\",\"topic\":\"compute\","
                + "\"method\":\"buildInstance\",\"args\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
    }

    private byte[] oversized() {
        String env = envelope();
        String padding = "x".repeat(maxMessageBytes + 100);
        return utf8(env.replace("\"args\":[", "\"args\":[\"" + padding + "\","));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
