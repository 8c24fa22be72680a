package io.meshrpc.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time used by this JVM so far, all threads together. Every scenario runs both its sender and
 * its receiver in this process, so the difference over a measurement is what the messages cost.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU used by the process, or -1 where the JVM does not say. */
    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
