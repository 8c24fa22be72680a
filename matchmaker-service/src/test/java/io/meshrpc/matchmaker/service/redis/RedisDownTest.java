package io.meshrpc.matchmaker.service.redis;

import io.meshrpc.matchmaker.service.ApiTestBase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/** With the Redis store and no Redis at its address: 503 problems and health DOWN, not 500s or hangs. */
@TestPropertySource(properties = {"meshrpc.matchmaker.store=redis", "spring.data.redis.host=127.0.0.1",
        "spring.data.redis.port=1", "spring.data.redis.connect-timeout=500ms", "spring.data.redis.timeout=500ms"})
class RedisDownTest extends ApiTestBase {

    @Override
    @BeforeEach
    protected void emptyRegistry() {
        // nothing to empty: the store is unreachable
    }

    @Test
    void storeFailuresAre503Problems() {
        put("/api/v1/nodes/n1", registration(java.util.List.of("compute"), "tcp://n1:9501", 5))
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Retry-After", "1");
        get("/api/v1/topics/compute").expectStatus().isEqualTo(503);
        // bad input is still answered 400 without touching the store
        put("/api/v1/nodes/bad!id", "{}").expectStatus().isBadRequest();
        get("/actuator/health").expectStatus().isEqualTo(503).expectBody()
                .jsonPath("$.components.registry.status").isEqualTo("DOWN");
    }
}
