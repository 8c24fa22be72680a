package io.meshrpc.matchmaker.service.redis;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import io.meshrpc.matchmaker.service.revision.ChangeHistory;
import io.meshrpc.matchmaker.service.revision.ChangeLog;
import io.meshrpc.matchmaker.service.revision.Revisions;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Revisions counted in Redis, shared by every replica on the same key prefix. A change gets its revision from
 * {@code INCR}, goes into the stream {@code <prefix>changes} under the id {@code <revision>-0} and is announced on
 * the channel of the same name, all in one script. This replica's {@link ChangeHistory} learns it, like every other
 * replica's, from {@link RedisChangeFeed}: a write through any replica wakes the watchers of all.
 */
public final class RedisChangeLog implements ChangeLog {

    private final StringRedisTemplate redis;
    private final String prefix;
    private final ChangeHistory history;
    private final Clock clock;
    private final int historyLength;
    private final RedisScript<Long> append = RedisNodeStore.script("append-change.lua", Long.class);

    public RedisChangeLog(StringRedisTemplate redis, String keyPrefix, ChangeHistory history, Clock clock,
                          int historyLength) {
        this.redis = redis;
        this.prefix = keyPrefix;
        this.history = history;
        this.clock = clock;
        this.historyLength = historyLength;
    }

    @Override
    public long append(Set<String> nodeIds, Set<String> topics) {
        Long revision = redis.execute(append, List.of(), prefix, Long.toString(Revisions.start(clock)),
                String.join(",", nodeIds), String.join(",", topics), Integer.toString(historyLength));
        if (revision == null) {
            throw new IllegalStateException("Redis answered no revision for a change");
        }
        return revision;
    }

    /** What this replica has read from the stream: a read made now reflects at least this. */
    @Override
    public long revision() {
        return history.current();
    }
}
