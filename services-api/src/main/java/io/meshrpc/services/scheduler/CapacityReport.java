package io.meshrpc.services.scheduler;

import java.util.List;

/**
 * A compute agent's state as the scheduler needs it.
 *
 * @param host        the agent's node id
 * @param totalVcpus  vCPUs of the (simulated) hypervisor
 * @param totalRamMb  RAM of the hypervisor in MiB
 * @param freeVcpus   vCPUs not taken by instances
 * @param freeRamMb   RAM not taken by instances, in MiB
 * @param instanceIds the instances the agent holds (building or active); the scheduler drops its
 *                    claims for the ones listed, since the free figures already count them
 * @param incarnation when the agent's process started (epoch milliseconds); 0 from an agent that does not
 *                    number its reports
 * @param sequence    the report's number within the incarnation, from 1; a report that arrives after a later
 *                    one of the same host (an older incarnation, or the same with a lower number) is stale
 *                    and ignored, so a report held back by a partition never replaces a newer one
 */
public record CapacityReport(String host, int totalVcpus, int totalRamMb, int freeVcpus, int freeRamMb,
                             List<String> instanceIds, long incarnation, long sequence) {

    public CapacityReport {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }

    /** A report without a number, as agents of the release before numbered reports sent it: always taken. */
    public CapacityReport(String host, int totalVcpus, int totalRamMb, int freeVcpus, int freeRamMb,
                          List<String> instanceIds) {
        this(host, totalVcpus, totalRamMb, freeVcpus, freeRamMb, instanceIds, 0, 0);
    }

    /** Whether this report was made after {@code other}, of the same host; an unnumbered one always is. */
    public boolean isNewerThan(CapacityReport other) {
        if (incarnation == 0 || other.incarnation == 0 || incarnation != other.incarnation) {
            return incarnation == 0 || other.incarnation == 0 || incarnation > other.incarnation;
        }
        return sequence > other.sequence;
    }
}
