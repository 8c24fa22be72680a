package io.meshrpc.bench;

import java.util.List;

/**
 * One row of the matchmaker-at-fleet-size table ({@code matchmaker-fleet-<N>} and the full-refresh
 * "before" row). Figures that were not measured are {@code NaN}.
 *
 * @param scenario              the row's name
 * @param nodes                 simulated nodes
 * @param matchmakerCpuCores    the service process's CPU over the measured window, in cores
 * @param matchmakerHeapMb      the service's heap in use after a full GC at the end (its live set)
 * @param matchmakerHeapUsedMb  the service's heap in use at the end, before that GC
 * @param requestsPerS          requests the service answered per second, every kind
 * @param bytesPerNodePerMin    HTTP bytes (requests and answers, headers included) per node per minute
 * @param bytesPerNodePerMinP99 the same for the 99th-percentile node slot
 * @param heartbeatP50Ms        heartbeat latency (the full registration's in the full-refresh row)
 * @param heartbeatP99Ms        its 99th percentile
 * @param changeP50Ms           change_ms median
 * @param changeP99Ms           change_ms 99th percentile
 * @param changes               changes answered during the window
 * @param changesIncomplete     of those, how many had not reached every watcher at the end
 * @param seconds               the measured window
 * @param simulatorCpuCores     the benchmark JVM's own CPU over the window (it shares the machine)
 * @param errors                failed requests during the window
 * @param notes                 how the row was run and what went wrong
 * @param failed                whether the row could not be measured
 */
public record FleetResult(String scenario, int nodes, double matchmakerCpuCores, double matchmakerHeapMb,
                          double matchmakerHeapUsedMb, double requestsPerS, double bytesPerNodePerMin,
                          double bytesPerNodePerMinP99, double heartbeatP50Ms, double heartbeatP99Ms,
                          double changeP50Ms, double changeP99Ms, int changes, int changesIncomplete,
                          double seconds, double simulatorCpuCores, long errors, List<String> notes, boolean failed) {

    public FleetResult {
        notes = List.copyOf(notes);
    }

    static FleetResult failed(String scenario, int nodes, List<String> notes) {
        double n = Double.NaN;
        return new FleetResult(scenario, nodes, n, n, n, n, n, n, n, n, n, n, 0, 0, 0, n, 0, notes, true);
    }
}
