package io.meshrpc.matchmaker.service.redis;

import io.meshrpc.matchmaker.service.MatchmakerProperties;
import io.meshrpc.matchmaker.service.policy.PolicyStore;
import io.meshrpc.matchmaker.service.registry.NodeStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code meshrpc.matchmaker.store=redis}: the registry and the policy overrides live in Redis
 * ({@code spring.data.redis.*}), under {@code meshrpc.matchmaker.redis.key-prefix}, so that several matchmaker
 * instances serve one registry.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "meshrpc.matchmaker.store", havingValue = "redis")
public class RedisStoreConfiguration {

    @Bean
    NodeStore nodeStore(StringRedisTemplate redis, MatchmakerProperties properties) {
        return new RedisNodeStore(redis, properties.redis().keyPrefix());
    }

    @Bean
    PolicyStore policyStore(StringRedisTemplate redis, MatchmakerProperties properties) {
        return new RedisPolicyStore(redis, properties.redis().keyPrefix());
    }
}
