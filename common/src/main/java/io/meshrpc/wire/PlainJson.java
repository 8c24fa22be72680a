package io.meshrpc.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the commonest arguments and results, strings of printable ASCII and nulls, as JSON without
 * going through Jackson, whose per-character string writing was an eighth of a cast's CPU in the
 * profile (a 200-character argument). Anything else is left to the mapper: {@link #args} and
 * {@link #value} answer {@code null} for it.
 *
 * <p>The output is the mapper's own for these values: a codec uses this writer only if the mapper
 * has no modules (which could serialise strings their own way) and writes a probe of every plain
 * character exactly so ({@link #agreesWith}). {@code /} is not plain: Jackson 3 escapes it by default.
 */
final class PlainJson {

    /** Every character a plain string may hold. */
    static final String PLAIN_CHARACTERS = plainCharacters();

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

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
        int size = 1 + Math.max(1, args.length);
        for (Object arg : args) {
            int length = length(arg);
            if (length < 0) {
                return null;
            }
            size += length;
        }
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = '[';
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = write(args[i], out, at);
        }
        out[at] = ']';
        return out;
    }

    /** The JSON of {@code value}, or null if it is not a plain string or null. */
    static byte[] value(Object value) {
        int length = length(value);
        if (length < 0) {
            return null;
        }
        byte[] out = new byte[length];
        write(value, out, 0);
        return out;
    }

    /** The bytes {@code value} takes, or -1 if it is not plain. */
    private static int length(Object value) {
        if (value == null) {
            return NULL.length;
        }
        if (!(value instanceof String s)) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/') {
                return -1;
            }
        }
        return s.length() + 2;
    }

    private static int write(Object value, byte[] out, int at) {
        if (value == null) {
            System.arraycopy(NULL, 0, out, at, NULL.length);
            return at + NULL.length;
        }
        byte[] ascii = ((String) value).getBytes(StandardCharsets.ISO_8859_1);
        out[at] = '"';
        System.arraycopy(ascii, 0, out, at + 1, ascii.length);
        out[at + 1 + ascii.length] = '"';
        return at + ascii.length + 2;
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
