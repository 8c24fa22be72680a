package io.meshrpc.api;

/**
 * The root of every failure an {@link RpcClient} future completes with.
 *
 * <p>Unchecked so that typed proxies can throw it from interfaces that declare nothing; callers who
 * care catch the precise subclass, each of which tells a different story (the remote code failed,
 * nobody could be reached, nobody answered in time, the message was refused for its size).
 */
public class RpcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RpcException(String message) {
        super(message);
    }

    public RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
