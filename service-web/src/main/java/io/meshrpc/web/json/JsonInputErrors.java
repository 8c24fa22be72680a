package io.meshrpc.web.json;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON body that could not be read, said for a client: where ({@code field}: the JSON path, or {@code body}) and
 * what was expected ({@code "ttlSeconds: expected an integer"}), without the parser's internals.
 *
 * @param field the JSON path of the failure ({@code topics[0]}, {@code stats}), or {@code body} for the whole body
 * @param detail a sentence for a human
 */
public record JsonInputErrors(String field, String detail) {

    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?(start marker )?at \\[Source:.*$", Pattern.DOTALL);
    /** Jackson names its own getter ("32, from `StreamReadConstraints.getMaxNestingDepth()`"); the client needs the number. */
    private static final Pattern CONSTRAINT_HINT = Pattern.compile(",\\s*from `StreamReadConstraints[^`]*`");

    /**
     * Explains why a body could not be read: the Jackson failure in {@code ex}'s causes, or, when there is none
     * (no body at all), that the body is missing or unreadable.
     */
    public static JsonInputErrors explain(Throwable ex) {
        JsonInputErrors error = of(ex);
        return error != null ? error : new JsonInputErrors("body", "The request body is missing or unreadable");
    }

    /**
     * Explains the Jackson failure in {@code ex}'s causes; {@code null} when there is none (no body at all, or
     * a failure that is not about JSON).
     */
    public static JsonInputErrors of(Throwable ex) {
        JacksonException jackson = jacksonCause(ex);
        if (jackson == null) {
            return null;
        }
        String path = path(jackson.getPath());
        if (jackson instanceof StreamConstraintsException) {
            return new JsonInputErrors("body", "The request body is beyond a JSON limit of this service: "
                    + CONSTRAINT_HINT.matcher(withoutSource(jackson.getOriginalMessage())).replaceFirst("")
                    + " (meshrpc.http.json.*)");
        }
        if (jackson instanceof InputCoercionException coercion && !path.isEmpty()) { // 4294967296 for an int
            return new JsonInputErrors(path, path + ": expected " + expected(coercion.getTargetType())
                    + " in the range of its type");
        }
        if (jackson instanceof StreamReadException) { // a syntax error: the body as a whole is bad
            return new JsonInputErrors("body", "The request body is not valid JSON"
                    + (path.isEmpty() ? "" : " (near '" + path + "')") + ": " + withoutSource(jackson.getOriginalMessage()));
        }
        if (jackson instanceof MismatchedInputException mismatch && !path.isEmpty()) {
            return new JsonInputErrors(path, path + ": expected " + expected(mismatch.getTargetType()));
        }
        if (!path.isEmpty()) {
            return new JsonInputErrors(path, path + ": a value of the wrong type or format");
        }
        return new JsonInputErrors("body", "The request body has the wrong shape: "
                + withoutSource(jackson.getOriginalMessage()));
    }

    /** The JSON type a Java type is written as, with its article. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == String.class || type == Character.class || type == char.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || !type.isPrimitive()) {
            return "an object";
        }
        return "a value of another type";
    }

    private static String withoutSource(String message) {
        return message == null ? "" : SOURCE.matcher(message).replaceFirst("");
    }

    private static JacksonException jacksonCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof JacksonException j) {
                return j;
            }
        }
        return null;
    }

    /** {@code topics[1]}, {@code stats.sent}: the JSON path of the failure. */
    private static String path(List<JacksonException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : refs) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
