package io.meshrpc.scheduler.placement;

/**
 * An amount of vCPUs and RAM: what a host has free, or what an instance needs.
 *
 * @param vcpus virtual CPUs
 * @param ramMb memory in MiB
 */
public record Resources(int vcpus, int ramMb) {

    public static final Resources NONE = new Resources(0, 0);

    public Resources plus(Resources other) {
        return new Resources(vcpus + other.vcpus, ramMb + other.ramMb);
    }

    public Resources minus(Resources other) {
        return new Resources(vcpus - other.vcpus, ramMb - other.ramMb);
    }

    /** Whether {@code wanted} fits into this amount. */
    public boolean fits(Resources wanted) {
        return wanted.vcpus <= vcpus && wanted.ramMb <= ramMb;
    }

    @Override
    public String toString() {
        return vcpus + " vCPUs / " + ramMb + " MiB";
    }
}
