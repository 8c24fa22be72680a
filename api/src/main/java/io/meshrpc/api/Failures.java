package io.meshrpc.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Gets at the failure a future really completed with. {@link java.util.concurrent.CompletableFuture}
 * wraps it in a {@link CompletionException} when it passes through a dependent stage, and
 * {@code get()} in an {@link ExecutionException}; callers who switch on the {@link RpcException}
 * subclasses want what is inside.
 */
public final class Failures {

    private Failures() {
    }

    /** The innermost cause under any {@link CompletionException} or {@link ExecutionException}. */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
