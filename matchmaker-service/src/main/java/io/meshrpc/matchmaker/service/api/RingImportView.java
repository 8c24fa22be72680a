package io.meshrpc.matchmaker.service.api;

import java.util.List;

import io.meshrpc.matchmaker.service.registry.RingReplaceResult;

/**
 * Answer of {@code PUT /api/v1/ring}.
 *
 * @param topics topics in the imported ring
 * @param nodes ring nodes stored
 * @param removed ring nodes of the previous import that this ring no longer lists
 * @param keptRegistered hosts that are registered and live: their registration was kept
 */
public record RingImportView(int topics, int nodes, int removed, List<String> keptRegistered) {

    static RingImportView of(RingReplaceResult r) {
        return new RingImportView(r.topics(), r.nodes(), r.removed(), r.keptRegistered());
    }
}
