package io.meshrpc.internal.server;

/**
 * The rule the dedup window's open-addressing tables (linear probing, deletion without tombstones)
 * share: when a slot is emptied, the entries after it in its probe run move back into the gap unless
 * that would put them before their home slot.
 */
final class ProbeRuns {

    private ProbeRuns() {
    }

    /**
     * Whether the entry at slot {@code at}, whose home slot is {@code home}, must stay where it is
     * while slot {@code gap} (before {@code at} in its run) is empty: its home lies cyclically in
     * {@code (gap, at]}, so in the gap it could not be found.
     */
    static boolean staysAfterGap(int gap, int at, int home) {
        return gap <= at ? gap < home && home <= at : gap < home || home <= at;
    }
}
