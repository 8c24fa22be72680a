package io.meshrpc.matchmaker.service.security;

/** A write came without the configured bearer token, or with another one. Answered 401. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
