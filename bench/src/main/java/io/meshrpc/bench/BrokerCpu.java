package io.meshrpc.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU a broker process on this machine spent while a scenario was measured: per completed message,
 * and in cores (CPU time over wall time). Set beside the scenario's own CPU, it tells a row the broker
 * holds back (its queue near one core) from one the client does.
 *
 * @param usPerMsg broker CPU per completed message, in microseconds
 * @param cores    broker CPU time divided by the measurement's wall time
 */
record BrokerCpu(double usPerMsg, double cores) {

    /** The JSON field of {@link #usPerMsg}. */
    static final String US_PER_MSG = "broker_cpu_us_per_msg";
    /** The JSON field of {@link #cores}. */
    static final String CORES = "broker_cores";

    /** From a CPU time ({@code -1} if unknown), the messages completed and the wall time it was read over. */
    static Optional<BrokerCpu> of(long cpuNanos, long completed, long wallNanos) {
        if (cpuNanos < 0 || completed == 0 || wallNanos <= 0) {
            return Optional.empty();
        }
        return Optional.of(new BrokerCpu(cpuNanos / 1_000.0 / completed, (double) cpuNanos / wallNanos));
    }

    /** As a result's fields carry it, if they do. */
    static Optional<BrokerCpu> in(Map<String, Number> fields) {
        Number usPerMsg = fields.get(US_PER_MSG);
        Number cores = fields.get(CORES);
        return usPerMsg == null || cores == null ? Optional.empty()
                : Optional.of(new BrokerCpu(usPerMsg.doubleValue(), cores.doubleValue()));
    }

    /** {@code fields} followed by this one's. */
    Map<String, Number> addedTo(Map<String, Number> fields) {
        Map<String, Number> all = new LinkedHashMap<>(fields);
        all.put(US_PER_MSG, usPerMsg);
        all.put(CORES, cores);
        return all;
    }
}
