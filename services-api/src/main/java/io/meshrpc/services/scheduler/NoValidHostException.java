package io.meshrpc.services.scheduler;

/**
 * No compute host can take the instance: none is known, or none has the vCPUs and RAM left.
 *
 * <p>It travels to the caller as a {@link io.meshrpc.api.RemoteException} whose
 * {@code remoteType()} is {@link #TYPE}; the gateway turns that into a 503 problem rather than a
 * generic failure, as Nova's {@code NoValidHost} does.
 */
public class NoValidHostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The remote type name callers compare {@link io.meshrpc.api.RemoteException#remoteType()} with. */
    public static final String TYPE = NoValidHostException.class.getName();

    public NoValidHostException(String message) {
        super(message);
    }
}
