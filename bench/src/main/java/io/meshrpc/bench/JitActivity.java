package io.meshrpc.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How busy the JIT compiler was during a run: time its threads spent compiling, set against the
 * run's length. A measurement during which C2 still compiles much measures a half-compiled
 * program (and loses a core of two to the compiler).
 *
 * @param compileMillis time the compiler threads spent compiling during the run (summed over them)
 * @param elapsedNanos  the run's length
 */
record JitActivity(long compileMillis, long elapsedNanos) {

    /** Above this share of the run, the note says the measurement was not warm. */
    static final double BUSY_SHARE = 0.10;

    /** Milliseconds the JVM's compilers have spent so far, or -1 where it does not say. */
    static long compileMillisSoFar() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Compile time over run time; {@code NaN} when unknown. */
    double share() {
        return compileMillis < 0 || elapsedNanos <= 0 ? Double.NaN : compileMillis * 1e6 / elapsedNanos;
    }

    /** A warning when the compiler was busy for more than {@link #BUSY_SHARE} of the run, else {@code null}. */
    String note() {
        double share = share();
        if (Double.isNaN(share) || share <= BUSY_SHARE) {
            return null;
        }
        return String.format(Locale.ROOT, "the JIT compiler was still busy: %.1f s of compiling during %.0f s "
                + "measured (%.0f%%); a longer --warmup measures the compiled code", compileMillis / 1e3,
                elapsedNanos / 1e9, share * 100);
    }
}
