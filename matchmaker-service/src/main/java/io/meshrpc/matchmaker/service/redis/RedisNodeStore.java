package io.meshrpc.matchmaker.service.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.NodeSource;
import io.meshrpc.matchmaker.service.registry.NodeStore;
import io.meshrpc.matchmaker.service.registry.RingReplaceResult;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The registry in Redis, shared by every matchmaker replica that uses the same key prefix.
 *
 * <p>Each node is one JSON string; sets index the nodes of each topic, all nodes and ring nodes, and a sorted set
 * scores registered nodes by their expiry (epoch ms). Every write is one Lua script, so a record and its indexes
 * change together and {@link #removeExpired} hands each expired node to exactly one replica. Scripts touch keys
 * they compute from the prefix: this works on a single Redis (or a primary with replicas / Sentinel), not on
 * Redis Cluster.
 */
public final class RedisNodeStore implements NodeStore {

    private static final int MGET_BATCH = 1000;

    private final StringRedisTemplate redis;
    private final String prefix;
    private final JsonMapper json = JsonMapper.builder().build();
    private final RedisScript<String> put = script("put.lua", String.class);
    private final RedisScript<String> remove = script("remove.lua", String.class);
    private final RedisScript<Long> renew = script("renew.lua", Long.class);
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> removeExpired = script("remove-expired.lua", List.class);
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> replaceRing = script("replace-ring.lua", List.class);

    public RedisNodeStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.prefix = keyPrefix;
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Optional<NodeRecord> put(NodeRecord node) {
        String expiresAt = node.expiresAt() == null ? "" : Long.toString(node.expiresAt().toEpochMilli());
        return Optional.ofNullable(redis.execute(put, List.of(), prefix, node.nodeId(), write(node), expiresAt))
                .map(this::read);
    }

    @Override
    public Optional<NodeRecord> get(String nodeId) {
        return Optional.ofNullable(redis.opsForValue().get(prefix + "n:" + nodeId)).map(this::read);
    }

    /**
     * Reads the record and renews it if it is still the same when the script runs; a concurrent write wins, and
     * the renewal is tried once more on what it wrote.
     */
    @Override
    public Optional<NodeRecord> renew(String nodeId, Instant now) {
        for (int attempt = 0; attempt < 2; attempt++) {
            String stored = redis.opsForValue().get(prefix + "n:" + nodeId);
            if (stored == null) {
                return Optional.empty();
            }
            NodeRecord node = read(stored);
            if (node.source() != NodeSource.REGISTERED || !node.isLive(now)) {
                return Optional.empty();
            }
            NodeRecord renewed = node.renewed(now);
            Long done = redis.execute(renew, List.of(), prefix, nodeId, stored, write(renewed),
                    Long.toString(renewed.expiresAt().toEpochMilli()));
            if (done != null && done == 1) {
                return Optional.of(renewed);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<NodeRecord> remove(String nodeId) {
        return Optional.ofNullable(redis.execute(remove, List.of(), prefix, nodeId)).map(this::read);
    }

    @Override
    public Collection<NodeRecord> all() {
        return load(redis.opsForSet().members(prefix + "nodes"), null);
    }

    @Override
    public Collection<NodeRecord> byTopic(String topic) {
        return load(redis.opsForSet().members(prefix + "t:" + topic), topic);
    }

    @Override
    public List<NodeRecord> removeExpired(Instant now) {
        List<?> removed = redis.execute(removeExpired, List.of(), prefix, Long.toString(now.toEpochMilli()));
        List<NodeRecord> result = new ArrayList<>();
        if (removed != null) {
            for (Object s : removed) {
                result.add(read((String) s));
            }
        }
        return result;
    }

    @Override
    public RingReplaceResult replaceRing(Collection<NodeRecord> ringNodes, Instant now) {
        List<String> args = new ArrayList<>(2 + 2 * ringNodes.size());
        args.add(prefix);
        args.add(Long.toString(now.toEpochMilli()));
        Set<String> topics = new HashSet<>();
        for (NodeRecord node : ringNodes) {
            args.add(node.nodeId());
            args.add(write(node));
            topics.addAll(node.topics());
        }
        List<?> answer = redis.execute(replaceRing, List.of(), args.toArray());
        if (answer == null || answer.size() < 2) {
            throw new IllegalStateException("Redis answered the ring import with " + answer);
        }
        List<String> kept = new ArrayList<>();
        for (Object id : answer.subList(2, answer.size())) {
            kept.add((String) id);
        }
        kept.sort(null);
        return new RingReplaceResult(topics.size(), Integer.parseInt((String) answer.get(1)),
                Integer.parseInt((String) answer.get(0)), kept);
    }

    /** The records of these ids (those still there), checked to serve {@code topic} when one is given. */
    private List<NodeRecord> load(Set<String> ids, String topic) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(prefix + "n:" + id);
        }
        List<NodeRecord> result = new ArrayList<>(ids.size());
        for (int from = 0; from < keys.size(); from += MGET_BATCH) {
            List<String> values = redis.opsForValue().multiGet(keys.subList(from, Math.min(keys.size(), from + MGET_BATCH)));
            if (values == null) {
                continue;
            }
            for (String value : values) {
                if (value != null) { // removed between the two reads
                    NodeRecord node = read(value);
                    if (topic == null || node.serves(topic)) {
                        result.add(node);
                    }
                }
            }
        }
        return result;
    }

    private String write(NodeRecord node) {
        return json.writeValueAsString(node);
    }

    private NodeRecord read(String value) {
        return json.readValue(value, NodeRecord.class);
    }

    static <T> RedisScript<T> script(String name, Class<T> resultType) {
        return new DefaultRedisScript<>(resource("prelude.lua") + "\n" + resource(name), resultType);
    }

    private static String resource(String name) {
        try (InputStream in = RedisNodeStore.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
