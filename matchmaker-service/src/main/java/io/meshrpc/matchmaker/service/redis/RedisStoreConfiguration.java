package io.meshrpc.matchmaker.service.redis;

import java.time.Clock;

import io.meshrpc.matchmaker.service.MatchmakerProperties;
import io.meshrpc.matchmaker.service.policy.PolicyStore;
import io.meshrpc.matchmaker.service.registry.NodeStore;
import io.meshrpc.matchmaker.service.registry.StatsStore;
import io.meshrpc.matchmaker.service.revision.ChangeHistory;
import io.meshrpc.matchmaker.service.revision.ChangeLog;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * {@code meshrpc.matchmaker.store=redis}: the registry and the policy overrides live in Redis
 * ({@code spring.data.redis.*}), under {@code meshrpc.matchmaker.redis.key-prefix}, so that several matchmaker
 * instances serve one registry. Revisions are counted in Redis too, and each replica follows the change stream, so a
 * change written through one replica wakes the watchers of every replica.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "meshrpc.matchmaker.store", havingValue = "redis")
public class RedisStoreConfiguration {

    @Bean
    NodeStore nodeStore(StringRedisTemplate redis, MatchmakerProperties properties) {
        return new RedisNodeStore(redis, properties.redis().keyPrefix());
    }

    @Bean
    StatsStore statsStore(StringRedisTemplate redis, MatchmakerProperties properties) {
        return new RedisStatsStore(redis, properties.redis().keyPrefix());
    }

    @Bean
    ChangeLog changeLog(StringRedisTemplate redis, MatchmakerProperties properties, ChangeHistory history, Clock clock) {
        return new RedisChangeLog(redis, properties.redis().keyPrefix(), history, clock, properties.watch().history());
    }

    @Bean
    RedisMessageListenerContainer changeListeners(RedisConnectionFactory connections) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        return container;
    }

    @Bean
    RedisChangeFeed changeFeed(StringRedisTemplate redis, RedisMessageListenerContainer changeListeners,
                               MatchmakerProperties properties, ChangeHistory history, Clock clock) {
        return new RedisChangeFeed(redis, changeListeners, properties.redis().keyPrefix(), history, clock);
    }

    @Bean
    PolicyStore policyStore(StringRedisTemplate redis, MatchmakerProperties properties) {
        return new RedisPolicyStore(redis, properties.redis().keyPrefix());
    }
}
