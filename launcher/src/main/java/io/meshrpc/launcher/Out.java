package io.meshrpc.launcher;

import java.io.PrintStream;

/**
 * Where the launcher talks to its user: progress lines prefixed {@code [demo]} (on stderr, so
 * that stdout carries only results a script may read), and plain result lines.
 */
public final class Out {

    private final PrintStream progress;
    private final PrintStream results;

    public Out(PrintStream progress, PrintStream results) {
        this.progress = progress;
        this.results = results;
    }

    public static Out system() {
        return new Out(System.err, System.out);
    }

    /** A progress line: {@code [demo] ...}. */
    public void step(String format, Object... args) {
        progress.println("[demo] " + String.format(format, args));
        progress.flush();
    }

    /** A result line, as is. */
    public void line(String format, Object... args) {
        results.println(String.format(format, args));
        results.flush();
    }
}
