package io.meshrpc.services.compute;

/**
 * The agent asked does not hold the instance. Reaches callers as a
 * {@link io.meshrpc.api.RemoteException} with {@code remoteType()} equal to {@link #TYPE}.
 */
public class InstanceNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The remote type name callers compare with. */
    public static final String TYPE = InstanceNotFoundException.class.getName();

    public InstanceNotFoundException(String instanceId, String host) {
        super("Instance " + instanceId + " is not on host " + host);
    }
}
