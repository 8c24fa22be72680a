package io.meshrpc.api;

/**
 * The encoded message is larger than {@code meshrpc.max-message-bytes}; it was not sent.
 *
 * <p>Refusing at the sender gives the caller a precise error; a receiver drops such messages too,
 * so one misconfigured node cannot push arbitrarily large frames into its peers' memory.
 */
public class MessageTooLargeException extends RpcException {

    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;

    public MessageTooLargeException(int size, int limit) {
        super("Message of " + size + " bytes exceeds meshrpc.max-message-bytes=" + limit);
        this.size = size;
        this.limit = limit;
    }

    /** The encoded size in bytes. */
    public int size() {
        return size;
    }

    /** The configured limit in bytes. */
    public int limit() {
        return limit;
    }
}
