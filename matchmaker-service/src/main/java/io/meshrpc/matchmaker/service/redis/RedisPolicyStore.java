package io.meshrpc.matchmaker.service.redis;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.policy.PolicyStore;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/** Policy overrides in Redis: one hash per scope ({@code <prefix>policy:topic}, {@code <prefix>policy:node}). */
public final class RedisPolicyStore implements PolicyStore {

    private static final RedisScript<String> SET = new DefaultRedisScript<>(
            "local old = redis.call('HGET', KEYS[1], ARGV[1]) redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return old",
            String.class);
    private static final RedisScript<String> DELETE = new DefaultRedisScript<>(
            "local old = redis.call('HGET', KEYS[1], ARGV[1]) redis.call('HDEL', KEYS[1], ARGV[1]) return old",
            String.class);

    private final StringRedisTemplate redis;
    private final String prefix;

    public RedisPolicyStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.prefix = keyPrefix;
    }

    @Override
    public Optional<DeliveryPolicy> get(PolicyScope scope, String key) {
        Object value = redis.opsForHash().get(hash(scope), key);
        return value == null ? Optional.empty() : DeliveryPolicy.fromWire(value.toString());
    }

    @Override
    public Optional<DeliveryPolicy> put(PolicyScope scope, String key, DeliveryPolicy policy) {
        return parse(redis.execute(SET, List.of(hash(scope)), key, policy.wireName()));
    }

    @Override
    public Optional<DeliveryPolicy> remove(PolicyScope scope, String key) {
        return parse(redis.execute(DELETE, List.of(hash(scope)), key));
    }

    @Override
    public Map<String, DeliveryPolicy> all(PolicyScope scope) {
        Map<String, DeliveryPolicy> result = new TreeMap<>();
        redis.opsForHash().entries(hash(scope)).forEach((k, v) ->
                DeliveryPolicy.fromWire(v.toString()).ifPresent(p -> result.put(k.toString(), p)));
        return result;
    }

    private String hash(PolicyScope scope) {
        return prefix + "policy:" + scope.name().toLowerCase(Locale.ROOT);
    }

    private static Optional<DeliveryPolicy> parse(String value) {
        return value == null ? Optional.empty() : DeliveryPolicy.fromWire(value);
    }
}
