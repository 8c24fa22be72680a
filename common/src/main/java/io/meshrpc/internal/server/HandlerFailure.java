package io.meshrpc.internal.server;

import io.meshrpc.wire.ErrorInfo;

/** A handler's failure as it will travel in a reply: a type name and a message. */
final class HandlerFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;

    HandlerFailure(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    static HandlerFailure of(Throwable t) {
        if (t instanceof HandlerFailure hf) {
            return hf;
        }
        return new HandlerFailure(t.getClass().getName(), t.getMessage());
    }

    ErrorInfo toErrorInfo() {
        return new ErrorInfo(type, getMessage());
    }
}
