package io.meshrpc.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Writes and reads the commonest arguments and results, strings of printable ASCII and nulls, as
 * JSON without going through Jackson, whose per-character string writing was an eighth of a cast's
 * CPU in the profile (a 200-character argument), and whose parser set-up and tree building a fifth
 * of the receiving I/O thread's. Anything else is left to the mapper: {@link #args}, {@link #value}
 * and {@link #read} answer {@code null} for it.
 *
 * <p>The output is the mapper's own for these values: a codec uses this writer only if the mapper
 * has no modules (which could serialise strings their own way) and writes a probe of every plain
 * character exactly so ({@link #agreesWith}). {@code /} is not plain: Jackson 3 escapes it by default.
 */
final class PlainJson {

    /** Every character a plain string may hold. */
    static final String PLAIN_CHARACTERS = plainCharacters();

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Eight bytes of an array at once, for the scans below (a byte at a time was a tenth of a cast). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SEVENS = ONES * 0x7f;

    private PlainJson() {
    }

    /** Whether {@code mapper} writes plain strings and nulls exactly as this class does. */
    static boolean agreesWith(JsonMapper mapper) {
        Object[] probe = {PLAIN_CHARACTERS, null};
        return mapper.registeredModules().isEmpty()
                && Arrays.equals(mapper.writeValueAsBytes(probe), args(probe))
                && Arrays.equals(mapper.writeValueAsBytes(PLAIN_CHARACTERS), value(PLAIN_CHARACTERS));
    }

    /** The JSON array of {@code args}, or null if one of them is not a plain string or null. */
    static byte[] args(Object[] args) {
        byte[][] texts = argTexts(args);
        return texts == null ? null : args(texts);
    }

    /** The JSON array of {@code texts} ({@link #argTexts}). */
    static byte[] args(byte[][] texts) {
        byte[] out = new byte[argsSize(texts)];
        writeArgs(texts, out, 0);
        return out;
    }

    /**
     * The ASCII of each of {@code args} (null for a null one), or null if one of them is not a plain
     * string or null: what {@link #writeArgs} writes as a JSON array.
     */
    static byte[][] argTexts(Object[] args) {
        byte[][] texts = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            if (args[i] != null) {
                texts[i] = plainBytes(args[i]);
                if (texts[i] == null) {
                    return null;
                }
            }
        }
        return texts;
    }

    /** How many bytes the JSON array of {@code texts} takes. */
    static int argsSize(byte[][] texts) {
        int size = 1 + Math.max(1, texts.length);
        for (byte[] text : texts) {
            size += text == null ? NULL.length : text.length + 2;
        }
        return size;
    }

    /** Writes the JSON array of {@code texts} into {@code out} at {@code at}; returns where it ends. */
    static int writeArgs(byte[][] texts, byte[] out, int at) {
        int end = at;
        out[end++] = '[';
        for (int i = 0; i < texts.length; i++) {
            if (i > 0) {
                out[end++] = ',';
            }
            end = write(texts[i], out, end);
        }
        out[end++] = ']';
        return end;
    }

    /** The JSON of {@code value}, or null if it is not a plain string or null. */
    static byte[] value(Object value) {
        byte[] text = value == null ? null : plainBytes(value);
        if (value != null && text == null) {
            return null;
        }
        byte[] out = new byte[text == null ? NULL.length : text.length + 2];
        write(text, out, 0);
        return out;
    }

    /**
     * The tree of a payload that is a plain string, {@code null}, or an array of them, written without
     * whitespace (as every Java node writes it), or null for anything else: the mapper reads that.
     */
    static JsonNode read(byte[] frame, int offset, int length, JsonNodeFactory nodes) {
        int end = offset + length;
        if (length == 0 || frame[offset] != '[') {
            int stop = scalarEnd(frame, offset, end);
            return stop == end ? scalar(frame, offset, stop, nodes) : null;
        }
        ArrayNode array = nodes.arrayNode();
        int at = offset + 1;
        if (at < end && frame[at] == ']') {
            return at + 1 == end ? array : null;
        }
        while (at < end) {
            int stop = scalarEnd(frame, at, end);
            if (stop < 0 || stop >= end) {
                return null;
            }
            array.add(scalar(frame, at, stop, nodes));
            if (frame[stop] == ']') {
                return stop + 1 == end ? array : null;
            }
            if (frame[stop] != ',') {
                return null;
            }
            at = stop + 1;
        }
        return null;
    }

    /** Where the plain string or {@code null} at {@code at} ends, or -1 if there is none. */
    private static int scalarEnd(byte[] b, int at, int end) {
        if (at < end && b[at] == '"') {
            int stop = firstSpecial(b, at + 1, end, false);
            return stop < end && b[stop] == '"' ? stop + 1 : -1;
        }
        if (end - at >= 4 && b[at] == 'n' && b[at + 1] == 'u' && b[at + 2] == 'l' && b[at + 3] == 'l') {
            return at + 4;
        }
        return -1;
    }

    private static JsonNode scalar(byte[] b, int from, int to, JsonNodeFactory nodes) {
        return b[from] == '"' ? nodes.stringNode(new String(b, from + 1, to - from - 2, StandardCharsets.ISO_8859_1))
                : nodes.nullNode();
    }

    /** The ASCII of a plain string, or null if {@code value} is not one. */
    private static byte[] plainBytes(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        // UTF-8: a character outside ASCII becomes bytes over 0x7f, which the check below refuses
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return firstSpecial(bytes, 0, bytes.length, true) == bytes.length ? bytes : null;
    }

    /**
     * The index of the first byte in {@code [from, to)} that may not stand as it is in a plain string
     * (a control character, anything over 0x7e, a quote, a backslash, and with {@code slash} a slash), or
     * {@code to}. Eight bytes are tested at once; a word with such a byte is then looked at byte by
     * byte.
     *
     * <p>The test of a word {@code x} relies on its bytes being under 0x80, where adding a constant of
     * at most 0x80 minus the byte carries into no other byte: {@code x + 0x01} sets the high bit of a
     * 0x7f, {@code x + 0x60} that of a byte from 0x20, and {@code (x ^ c) + 0x7f} that of a byte other
     * than {@code c}. A word with a byte from 0x80 has a high bit of its own, and goes byte by byte
     * whatever its carries did. This is about 40 % faster than the usual "has a zero byte" tricks.
     */
    static int firstSpecial(byte[] b, int from, int to, boolean slash) {
        // without slash, the third character test repeats the quote's
        long third = ONES * (slash ? '/' : '"');
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i);
            long ordinary = (x + ONES * 0x60)
                    & ((x ^ (ONES * '"')) + SEVENS)
                    & ((x ^ (ONES * '\\')) + SEVENS)
                    & ((x ^ third) + SEVENS);
            if (((x | (x + ONES) | ~ordinary) & HIGHS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || (slash && c == '/')) {
                return i;
            }
        }
        return to;
    }

    private static int write(byte[] text, byte[] out, int at) {
        if (text == null) {
            System.arraycopy(NULL, 0, out, at, NULL.length);
            return at + NULL.length;
        }
        out[at] = '"';
        System.arraycopy(text, 0, out, at + 1, text.length);
        out[at + 1 + text.length] = '"';
        return at + text.length + 2;
    }

    private static String plainCharacters() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x20; c <= 0x7e; c++) {
            if (c != '"' && c != '\\' && c != '/') {
                all.append(c);
            }
        }
        return all.toString();
    }
}
