package io.meshrpc.gateway.errors;

/** The server is not in a state that allows the request (a console of a BUILDING server): 409. */
public class ServerConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServerConflictException(String message) {
        super(message);
    }
}
