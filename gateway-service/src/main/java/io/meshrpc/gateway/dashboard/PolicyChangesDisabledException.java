package io.meshrpc.gateway.dashboard;

/** {@code gateway.dashboard.allow-policy-changes=false}: 403. */
public class PolicyChangesDisabledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PolicyChangesDisabledException() {
        super("Policy changes through this gateway are off (gateway.dashboard.allow-policy-changes=false)");
    }
}
