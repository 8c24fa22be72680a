package io.meshrpc.api;

import java.time.Duration;

/**
 * A monitored call ({@link PreparedClient#callMonitor}) heard nothing from its server for two
 * heartbeat intervals: the server died, froze or lost its way back to the caller while the call
 * ran. It fails the call long before its deadline; the method may or may not have run to its end.
 * A subclass of {@link RpcTimeoutException}, so code that handles timeouts handles it too.
 */
public class HeartbeatTimeoutException extends RpcTimeoutException {

    private static final long serialVersionUID = 1L;

    private final Duration interval;

    public HeartbeatTimeoutException(String message, Duration interval) {
        super(message, interval.multipliedBy(2));
        this.interval = interval;
    }

    /** The heartbeat interval the call asked for. */
    public Duration interval() {
        return interval;
    }
}
