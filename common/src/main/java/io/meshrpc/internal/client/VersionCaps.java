package io.meshrpc.internal.client;

import java.util.Map;

import io.meshrpc.api.Target;
import io.meshrpc.api.Version;
import io.meshrpc.api.VersionCapException;

/**
 * The highest interface version this node sends, per topic ({@code meshrpc.version-caps.<topic>}):
 * during a rolling upgrade, the version the oldest server of the topic still serves.
 *
 * @param caps topic to cap; a topic without one is not capped
 */
public record VersionCaps(Map<String, Version> caps) {

    /** No topic capped. */
    public static final VersionCaps NONE = new VersionCaps(Map.of());

    public VersionCaps {
        caps = Map.copyOf(caps);
    }

    /** Whether {@code version} may be sent to {@code topic}. */
    public boolean allows(String topic, Version version) {
        Version cap = caps.get(topic);
        return cap == null || version.compareTo(cap) <= 0;
    }

    /**
     * The refusal of a message to {@code target}, or {@code null} when its version is within the cap:
     * {@code override} when not null (a prepared call's), else the topic's.
     */
    VersionCapException refusal(Target target, Version override) {
        Version asked = target.version();
        Version cap = override != null ? override : caps.get(target.topic());
        if (asked == null || cap == null || asked.compareTo(cap) <= 0) {
            return null;
        }
        return new VersionCapException(target.topic(), asked, cap);
    }
}
