package io.meshrpc.api;

import java.time.Duration;

/**
 * A call was delivered (or at least sent) but no reply came before its deadline.
 *
 * <p>The call is not re-sent: it may have run on the remote side, and RPC here promises at most
 * one execution per call, as oslo.messaging does. Retrying is the caller's decision.
 */
public class RpcTimeoutException extends RpcException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public RpcTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }
}
