package io.meshrpc.bench;

/**
 * Progress lines on stderr, so stdout carries only the result table and can be redirected.
 */
final class Progress {

    private Progress() {
    }

    static void say(String format, Object... args) {
        System.err.printf("[bench] " + format + "%n", args);
        System.err.flush();
    }
}
