package io.meshrpc.launcher.cli;

/** The command line is wrong: the message says what, and the usage is printed. */
public class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
