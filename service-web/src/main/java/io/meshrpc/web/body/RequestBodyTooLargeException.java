package io.meshrpc.web.body;

/**
 * A request body grew past its limit while it was read. Unchecked on purpose: a JSON parser wraps the
 * {@code IOException}s of its input into its own parse errors (answered 400), while this must reach the
 * {@link BodyTooLargeAdvice} (or the {@link BodyLimitFilter}) to be answered 413.
 */
public class RequestBodyTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    public RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    /** The limit it passed, in bytes. */
    public long limit() {
        return limit;
    }
}
