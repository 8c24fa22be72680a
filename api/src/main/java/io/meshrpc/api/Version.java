package io.meshrpc.api;

/**
 * An RPC interface version, {@code major.minor}, as oslo.messaging versions them: a server of
 * {@code 2.3} can serve a caller that asks for {@code 2.0} to {@code 2.3} (the same major, a minor
 * at most its own), and nothing of major {@code 1} or {@code 3}. A minor adds methods or optional
 * arguments; a major breaks callers.
 *
 * @param major at least 0, at most {@link #MAX_PART}
 * @param minor at least 0, at most {@link #MAX_PART}
 */
public record Version(int major, int minor) implements Comparable<Version> {

    /** The largest major or minor: four digits keep the wire text short and its parsing bounded. */
    public static final int MAX_PART = 9999;
    /** The version of a call or an endpoint that names none, as in oslo.messaging. */
    public static final Version DEFAULT = new Version(1, 0);

    public Version {
        if (major < 0 || major > MAX_PART || minor < 0 || minor > MAX_PART) {
            throw new IllegalArgumentException("Invalid version " + major + "." + minor + ": major and minor must be 0-"
                    + MAX_PART);
        }
    }

    /**
     * Reads {@code major.minor}, each 1 to 4 digits, such as {@code 2.1}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Version parse(String text) {
        if (text == null || text.length() > 9) {
            throw invalid(text);
        }
        int dot = text.indexOf('.');
        if (dot < 1 || dot > 4 || dot == text.length() - 1 || text.length() - dot - 1 > 4) {
            throw invalid(text);
        }
        return new Version(digits(text, 0, dot), digits(text, dot + 1, text.length()));
    }

    /** Whether {@code text} is a version {@link #parse} reads. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    /** Whether a server of this version serves a caller that asks for {@code asked}. */
    public boolean serves(Version asked) {
        return major == asked.major && minor >= asked.minor;
    }

    @Override
    public int compareTo(Version other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("Invalid version '" + text + "': expected major.minor, such as 2.1");
    }
}
