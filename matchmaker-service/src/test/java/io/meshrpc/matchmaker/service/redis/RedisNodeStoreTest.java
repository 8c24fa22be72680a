package io.meshrpc.matchmaker.service.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.registry.NodeStore;
import io.meshrpc.matchmaker.service.registry.NodeStoreContractTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The node-store contract against the local Redis, plus the Redis policy store. */
@ExtendWith(LocalRedisCondition.class)
class RedisNodeStoreTest extends NodeStoreContractTest {

    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;
    private final List<String> prefixes = new ArrayList<>();

    @BeforeAll
    static void connect() {
        if (!LocalRedis.reachable()) {
            return; // every test is skipped by LocalRedisCondition
        }
        factory = LocalRedis.connect();
        redis = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void disconnect() {
        if (factory != null) {
            factory.destroy();
        }
    }

    @Override
    protected NodeStore newStore() {
        String prefix = LocalRedis.uniquePrefix();
        prefixes.add(prefix);
        return new RedisNodeStore(redis, prefix);
    }

    @AfterEach
    void deleteKeys() {
        prefixes.forEach(p -> LocalRedis.deleteKeys(redis, p));
        assertThat(prefixes).allSatisfy(p -> assertThat(redis.keys(p + "*")).isEmpty());
    }

    @Test
    void policies() {
        String prefix = LocalRedis.uniquePrefix();
        prefixes.add(prefix);
        RedisPolicyStore policies = new RedisPolicyStore(redis, prefix);
        assertThat(policies.put(PolicyScope.TOPIC, "scheduler", DeliveryPolicy.ZMQ_FIRST)).isEmpty();
        assertThat(policies.put(PolicyScope.TOPIC, "scheduler", DeliveryPolicy.AMQP)).contains(DeliveryPolicy.ZMQ_FIRST);
        assertThat(policies.put(PolicyScope.NODE, "sched1", DeliveryPolicy.ZMQ)).isEmpty();
        assertThat(policies.get(PolicyScope.TOPIC, "scheduler")).contains(DeliveryPolicy.AMQP);
        assertThat(policies.get(PolicyScope.NODE, "scheduler")).isEmpty();
        assertThat(policies.all(PolicyScope.NODE)).containsExactly(java.util.Map.entry("sched1", DeliveryPolicy.ZMQ));
        assertThat(policies.remove(PolicyScope.TOPIC, "scheduler")).contains(DeliveryPolicy.AMQP);
        assertThat(policies.remove(PolicyScope.TOPIC, "scheduler")).isEmpty();
        assertThat(policies.all(PolicyScope.TOPIC)).isEmpty();
    }
}
