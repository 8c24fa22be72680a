package io.meshrpc.matchmaker.service.watch;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A validated watch: the topics a client follows, the revision it holds, and how long it waits for a change.
 *
 * @param topics the topics, at least one
 * @param since the revision the client holds; empty for a client that holds nothing yet (it gets a snapshot)
 * @param maxWait how long to wait for a change before answering "unchanged", jitter not included
 */
public record WatchRequest(Set<String> topics, OptionalLong since, Duration maxWait) {

    public WatchRequest {
        topics = Set.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a watch needs at least one topic");
        }
    }
}
