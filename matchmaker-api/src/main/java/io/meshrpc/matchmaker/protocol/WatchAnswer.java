package io.meshrpc.matchmaker.protocol;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a watch ({@code GET /api/v1/watch?topics=..&since=..&wait=..}).
 *
 * <ul>
 * <li>A snapshot ({@code full} true): every topic asked for has an entry whose {@code set} lists all its live
 *     members. It answers a watch without {@code since}, or one whose {@code since} the service no longer knows
 *     (a restart, a Redis failover, history trimmed).</li>
 * <li>A delta ({@code full} absent): entries only for the topics asked for that changed after {@code since}.</li>
 * <li>Unchanged at the end of the wait: no {@code topics} at all, just the revision.</li>
 * </ul>
 * Entries state current records, so applying one twice is harmless.
 *
 * @param revision the registry revision the answer reflects: the {@code since} of the next watch
 * @param full {@code true} for a snapshot, {@code null} (absent on the wire) for a delta
 * @param topics topic name to what it holds now, or {@code null}/empty when nothing changed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WatchAnswer(long revision, Boolean full, Map<String, TopicState> topics) {

    public WatchAnswer {
        topics = topics == null ? Map.of() : topics;
    }

    /** Whether this is a snapshot, which replaces what the client held for the topics it lists. */
    public boolean fullSnapshot() { // not named isFull: Jackson would take it for the property
        return Boolean.TRUE.equals(full);
    }
}
