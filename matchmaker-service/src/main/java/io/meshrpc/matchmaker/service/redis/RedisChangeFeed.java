package io.meshrpc.matchmaker.service.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.meshrpc.matchmaker.service.revision.Change;
import io.meshrpc.matchmaker.service.revision.ChangeHistory;
import io.meshrpc.matchmaker.service.revision.Revisions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Follows the change stream in Redis into this replica's {@link ChangeHistory}, in revision order. A message on the
 * changes channel wakes it at once; without one it looks every {@link #POLL} anyway, so a lost message (pub/sub
 * does not queue) costs at most that. Reads are plain {@code XRANGE}s, never a blocking {@code XREAD}, so the feed
 * shares the application's Redis connection without holding it.
 *
 * <p>When Redis lost the stream or the counter (a failover to a replica that had not caught up, a flush), or this
 * replica fell further behind than the stream keeps, the history starts over from what Redis holds: every client's
 * revision becomes unknown, and each gets a snapshot at its next watch.
 */
public final class RedisChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RedisChangeFeed.class);
    /** How often the feed looks without being woken. */
    static final Duration POLL = Duration.ofSeconds(1);
    private static final int BATCH = 1000;

    private final StringRedisTemplate redis;
    private final RedisMessageListenerContainer listeners;
    private final String prefix;
    private final ChangeHistory history;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread thread;
    /** Whether the history started from Redis's counter yet: not while Redis was unreachable at start. */
    private boolean synced;
    /** Whether changes wake the feed yet: subscribing needs Redis, which may be away at start. */
    private boolean subscribed;

    public RedisChangeFeed(StringRedisTemplate redis, RedisMessageListenerContainer listeners, String keyPrefix,
                           ChangeHistory history, Clock clock) {
        this.redis = redis;
        this.listeners = listeners;
        this.prefix = keyPrefix;
        this.history = history;
        this.clock = clock;
    }

    /** Before the web server, so that the first request sees Redis's revision. */
    @Override
    public int getPhase() {
        return 0;
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        synced = false;
        subscribed = false;
        thread = new Thread(this::follow, "matchmaker-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    private void follow() {
        wake.release(); // start by catching up, without waiting for a change
        while (!Thread.currentThread().isInterrupted()) {
            try {
                wake.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                catchUp();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ex) { // Redis away: keep the history, try again at the next poll
                log.warn("Could not read the change stream: {}", ex.toString());
            }
        }
    }

    /** Reads every change after the history's revision, in batches. */
    void catchUp() {
        if (!synced) { // first contact with Redis, at start or once it answers: begin where it stands
            history.reset(counter());
            synced = true;
        }
        if (!subscribed) {
            listeners.addMessageListener((message, pattern) -> wake.release(), new ChannelTopic(prefix + "changes"));
            subscribed = true;
        }
        while (true) {
            long current = history.current();
            List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(prefix + "changes",
                    Range.rightUnbounded(Range.Bound.inclusive(current + "-1")), Limit.limit().count(BATCH));
            if (records == null || records.isEmpty()) {
                checkCounter(current);
                return;
            }
            for (MapRecord<String, Object, Object> record : records) {
                long revision = Long.parseLong(record.getId().getTimestamp().toString());
                if (revision > history.current() + 1) {
                    log.warn("Change stream skips from revision {} to {} (trimmed or rewritten): clients resync",
                            history.current(), revision);
                    history.reset(revision - 1);
                }
                history.record(change(revision, record.getValue()));
            }
            if (records.size() < BATCH) {
                return;
            }
        }
    }

    /** Redis's counter went backwards (its data was lost): start over from it. */
    private void checkCounter(long current) {
        long counter = counter();
        if (counter < current) {
            log.warn("Redis's revision went back from {} to {} (its data was lost): clients resync", current, counter);
            history.reset(counter);
        }
    }

    /** Redis's revision, set to a fresh start when Redis holds none. */
    private long counter() {
        String key = prefix + "revision";
        redis.opsForValue().setIfAbsent(key, Long.toString(Revisions.start(clock)));
        String value = redis.opsForValue().get(key);
        return value == null ? Revisions.start(clock) : Long.parseLong(value);
    }

    private static Change change(long revision, Map<Object, Object> fields) {
        return new Change(revision, split(fields.get("n")), split(fields.get("t")));
    }

    private static Set<String> split(Object value) {
        String s = value == null ? "" : value.toString();
        return s.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(s.split(",")));
    }
}
