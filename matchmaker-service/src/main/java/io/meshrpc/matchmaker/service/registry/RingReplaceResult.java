package io.meshrpc.matchmaker.service.registry;

import java.util.List;

/**
 * What a ring import did.
 *
 * @param topics topics in the imported ring
 * @param nodes ring nodes now stored
 * @param removed ring nodes of the previous import that the new ring no longer lists
 * @param keptRegistered hosts of the ring that are registered and live, whose registration was kept as it is
 */
public record RingReplaceResult(int topics, int nodes, int removed, List<String> keptRegistered) {

    public RingReplaceResult {
        keptRegistered = List.copyOf(keptRegistered);
    }
}
