package io.meshrpc.transport.zmq;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers the last keys seen (at most {@code capacity}, least recently seen forgotten first), so a
 * peer that retries every 100 ms is logged once, not per attempt, and memory stays bounded however
 * many peers misbehave.
 */
final class OncePerKey {

    private final Set<String> seen;

    OncePerKey(int capacity) {
        this.seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        }));
    }

    /** True the first time {@code key} is seen (or after it was forgotten). */
    boolean first(String key) {
        return seen.add(key);
    }
}
