package io.meshrpc.matchmaker.service.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.meshrpc.matchmaker.service.MatchmakerApplication;
import io.meshrpc.matchmaker.service.MutableClock;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.matchmaker.service.registry.RegistryMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Two matchmaker instances on the local Redis serve one registry: what one is told, the other answers; TTL expiry
 * works across them, and each expiry is counted once.
 */
@ExtendWith(LocalRedisCondition.class)
class SharedRedisRegistryTest {

    private static final String TOKEN = "shared-token";
    /** Both instances read this clock, as two hosts read synchronised clocks. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));

    private static String prefix;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;
    private static RestTestClient clientA;
    private static RestTestClient clientB;

    @Configuration(proxyBeanMethods = false)
    static class SharedClock {
        @Bean
        @Primary
        MutableClock sharedClock() {
            return CLOCK;
        }
    }

    @BeforeAll
    static void startTwoInstances() {
        if (!LocalRedis.reachable()) {
            return; // every test is skipped by LocalRedisCondition
        }
        prefix = LocalRedis.uniquePrefix();
        a = start();
        b = start();
        clientA = client(a);
        clientB = client(b);
    }

    @AfterAll
    static void stopAndClean() {
        if (a != null) {
            LocalRedis.deleteKeys(a.getBean(StringRedisTemplate.class), prefix);
            assertThat(a.getBean(StringRedisTemplate.class).keys(prefix + "*")).isEmpty();
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MatchmakerApplication.class, SharedClock.class)
                .run("--server.port=0", "--spring.jmx.enabled=false",
                        "--meshrpc.matchmaker.store=redis", "--meshrpc.matchmaker.redis.key-prefix=" + prefix,
                        "--meshrpc.matchmaker.token=" + TOKEN, "--meshrpc.matchmaker.sweep-interval=1h",
                        "--spring.data.redis.host=" + LocalRedis.HOST, "--spring.data.redis.port=" + LocalRedis.PORT);
    }

    private static RestTestClient client(ConfigurableApplicationContext context) {
        return RestTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .build();
    }

    private static RestTestClient.ResponseSpec put(RestTestClient client, String uri, String json) {
        return client.put().uri(uri).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    @Test
    void twoInstancesServeOneRegistry() {
        assertThat(a.getBean(NodeRegistry.class).storeType()).isEqualTo("redis");

        put(clientA, "/api/v1/nodes/sched1",
                "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\",\"ttlSeconds\":2}")
                .expectStatus().isCreated();
        put(clientB, "/api/v1/nodes/sched2",
                "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.6:9501\",\"ttlSeconds\":60}")
                .expectStatus().isCreated();
        put(clientB, "/api/v1/policies/topics/scheduler", "{\"policy\":\"zmq-first\"}").expectStatus().isOk();
        put(clientA, "/api/v1/policies/nodes/sched2", "{\"policy\":\"amqp\"}").expectStatus().isOk();

        for (RestTestClient client : List.of(clientA, clientB)) {
            client.get().uri("/api/v1/topics/scheduler").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.policy").isEqualTo("zmq-first")
                    .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("sched1", "sched2"))
                    .jsonPath("$.nodes[1].policy").isEqualTo("amqp");
        }
        // a heartbeat through B renews what A registered
        put(clientB, "/api/v1/nodes/sched1",
                "{\"topics\":[\"scheduler\"],\"endpoint\":\"tcp://10.0.0.5:9501\",\"ttlSeconds\":2}")
                .expectStatus().isOk();

        put(clientA, "/api/v1/ring", "{\"consoleauth\":[\"cauth1\"]}").expectStatus().isOk();
        clientB.get().uri("/api/v1/ring").exchange().expectBody()
                .json("{\"consoleauth\":[\"cauth1\"],\"scheduler\":[\"sched1\",\"sched2\"]}");

        // sched1's TTL passes: both instances stop returning it at once; one sweep removes it, counted once
        CLOCK.advance(Duration.ofMillis(2001));
        for (RestTestClient client : List.of(clientA, clientB)) {
            client.get().uri("/api/v1/nodes/sched1").exchange().expectStatus().isNotFound();
            client.get().uri("/api/v1/topics/scheduler").exchange().expectBody()
                    .jsonPath("$.nodes[*].nodeId").isEqualTo(List.of("sched2"));
        }
        double expiredA = a.getBean(MeterRegistry.class).counter(RegistryMetrics.EXPIRATIONS).count();
        double expiredB = b.getBean(MeterRegistry.class).counter(RegistryMetrics.EXPIRATIONS).count();
        assertThat(b.getBean(NodeRegistry.class).sweep()).isEqualTo(1);
        assertThat(a.getBean(NodeRegistry.class).sweep()).isZero();
        assertThat(b.getBean(MeterRegistry.class).counter(RegistryMetrics.EXPIRATIONS).count()).isEqualTo(expiredB + 1);
        assertThat(a.getBean(MeterRegistry.class).counter(RegistryMetrics.EXPIRATIONS).count()).isEqualTo(expiredA);

        clientB.delete().uri("/api/v1/nodes/sched2").exchange().expectStatus().isNoContent();
        clientA.get().uri("/api/v1/nodes/sched2").exchange().expectStatus().isNotFound();
        clientA.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.components.registry.details.store").isEqualTo("redis");
    }
}
