package io.meshrpc.bench;

import java.util.Random;

/**
 * Small helpers of the matchmaker scenarios: the order keys are looked up in, and a count of
 * what an answer lists.
 */
final class LookupOrder {

    private LookupOrder() {
    }

    /**
     * {@code 0..n-1} in a shuffled order that is the same on every run ({@code seed}): every key is
     * asked for once per round, and neighbours in memory are not asked for one after the other.
     */
    static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** How many times {@code needle} occurs in {@code text}, not overlapping. */
    static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }
}
