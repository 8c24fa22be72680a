package io.meshrpc.matchmaker.service.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.meshrpc.matchmaker.service.registry.StatsStore;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

/** Nodes' stats in Redis: one hash, {@code <prefix>stats}, node id to JSON. */
public final class RedisStatsStore implements StatsStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final StringRedisTemplate redis;
    private final String key;
    private final JsonMapper json = JsonMapper.builder().build();

    public RedisStatsStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.key = keyPrefix + "stats";
    }

    @Override
    public void put(String nodeId, Map<String, Object> stats) {
        redis.opsForHash().put(key, nodeId, json.writeValueAsString(stats));
    }

    @Override
    public Optional<Map<String, Object>> get(String nodeId) {
        Object value = redis.opsForHash().get(key, nodeId);
        return value == null ? Optional.empty() : Optional.of(json.readValue((String) value, MAP));
    }

    @Override
    public Map<String, Map<String, Object>> all() {
        Map<String, Map<String, Object>> all = new HashMap<>();
        redis.opsForHash().entries(key).forEach((id, value) -> all.put((String) id, json.readValue((String) value, MAP)));
        return all;
    }

    @Override
    public void remove(String nodeId) {
        redis.opsForHash().delete(key, nodeId);
    }
}
