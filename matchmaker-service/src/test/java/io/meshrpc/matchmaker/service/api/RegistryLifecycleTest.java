package io.meshrpc.matchmaker.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.meshrpc.matchmaker.service.ApiTestBase;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.matchmaker.service.registry.RegistryMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/** Register, look up, heartbeat, expire, sweep, deregister: over HTTP, with the clock moved by hand. */
class RegistryLifecycleTest extends ApiTestBase {

    @Autowired
    NodeRegistry registry;

    @Autowired
    MeterRegistry meters;

    @Test
    void registerLookUpHeartbeatExpireAndSweep() {
        put("/api/v1/nodes/sched1", registration(List.of("scheduler"), "tcp://10.0.0.5:9501", 3))
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/nodes/sched1")
                .expectBody()
                .jsonPath("$.nodeId").isEqualTo("sched1")
                .jsonPath("$.state").isEqualTo("LIVE")
                .jsonPath("$.ttlSeconds").isEqualTo(3)
                .jsonPath("$.lastHeartbeat").isEqualTo(clock.instant().toString())
                .jsonPath("$.expiresAt").isEqualTo(clock.instant().plusSeconds(3).toString())
                .jsonPath("$.stats.sent.zmq").isEqualTo(10);
        put("/api/v1/nodes/sched2", registration(List.of("scheduler", "consoleauth"), "tcp://10.0.0.6:9501", 30))
                .expectStatus().isCreated();

        get("/api/v1/topics/scheduler").expectStatus().isOk().expectBody()
                .jsonPath("$.topic").isEqualTo("scheduler")
                .jsonPath("$.nodes.length()").isEqualTo(2)
                .jsonPath("$.nodes[0].nodeId").isEqualTo("sched1")
                .jsonPath("$.nodes[0].endpoint").isEqualTo("tcp://10.0.0.5:9501")
                .jsonPath("$.nodes[0].transports[0]").isEqualTo("zmq")
                .jsonPath("$.nodes[1].nodeId").isEqualTo("sched2");
        get("/api/v1/topics").expectStatus().isOk().expectBody()
                .jsonPath("$.topics[0].topic").isEqualTo("consoleauth")
                .jsonPath("$.topics[0].liveNodes").isEqualTo(1)
                .jsonPath("$.topics[1].topic").isEqualTo("scheduler")
                .jsonPath("$.topics[1].liveNodes").isEqualTo(2);
        String registeredAt = clock.instant().toString();

        // two seconds on, a heartbeat renews the 3 s TTL: 200, same registeredAt, later expiresAt
        clock.advance(Duration.ofSeconds(2));
        String beat = clock.instant().toString();
        put("/api/v1/nodes/sched1", registration(List.of("scheduler"), "tcp://10.0.0.5:9501", 3))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.registeredAt").isEqualTo(registeredAt)
                .jsonPath("$.lastHeartbeat").isEqualTo(beat)
                .jsonPath("$.expiresAt").isEqualTo(clock.instant().plusSeconds(3).toString());

        // 2 more seconds: past the first TTL, within the renewed one
        clock.advance(Duration.ofSeconds(2));
        get("/api/v1/nodes/sched1").expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("LIVE");

        // past the renewed TTL: gone from every lookup before any sweep
        clock.advance(Duration.ofMillis(1001));
        get("/api/v1/nodes/sched1").expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("nodeId");
        get("/api/v1/topics/scheduler").expectStatus().isOk().expectBody()
                .jsonPath("$.nodes.length()").isEqualTo(1)
                .jsonPath("$.nodes[0].nodeId").isEqualTo("sched2");
        get("/api/v1/nodes").expectStatus().isOk().expectBody()
                .jsonPath("$.count").isEqualTo(1)
                .jsonPath("$.nodes[0].nodeId").isEqualTo("sched2");
        assertThat(nodeStore.get("sched1")).as("still stored until the sweep").isPresent();

        double expiredBefore = meters.counter(RegistryMetrics.EXPIRATIONS).count();
        assertThat(registry.sweep()).isEqualTo(1);
        assertThat(nodeStore.get("sched1")).isEmpty();
        assertThat(meters.counter(RegistryMetrics.EXPIRATIONS).count()).isEqualTo(expiredBefore + 1);
        assertThat(meters.get(RegistryMetrics.NODES).tag("topic", "scheduler").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(RegistryMetrics.NODES).tag("topic", "consoleauth").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void anExpiredNodeThatRegistersAgainIsNew() {
        put("/api/v1/nodes/n1", registration(List.of("compute"), "tcp://n1:9501", 1)).expectStatus().isCreated();
        clock.advance(Duration.ofSeconds(2));
        put("/api/v1/nodes/n1", registration(List.of("compute"), "tcp://n1:9501", 1))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.registeredAt").isEqualTo(clock.instant().toString());
    }

    @Test
    void aHeartbeatReplacesTheRegistration() {
        put("/api/v1/nodes/n1", registration(List.of("compute", "scheduler"), "tcp://n1:9501", 5))
                .expectStatus().isCreated();
        put("/api/v1/nodes/n1", registration(List.of("compute"), "tcp://n1:9600", 5)).expectStatus().isOk();
        get("/api/v1/topics/scheduler").expectBody().jsonPath("$.nodes.length()").isEqualTo(0);
        get("/api/v1/topics/compute").expectBody().jsonPath("$.nodes[0].endpoint").isEqualTo("tcp://n1:9600");
    }

    @Test
    void deregister() {
        put("/api/v1/nodes/n1", registration(List.of("compute"), "tcp://n1:9501", 5)).expectStatus().isCreated();
        delete("/api/v1/nodes/n1").expectStatus().isNoContent();
        get("/api/v1/nodes/n1").expectStatus().isNotFound();
        get("/api/v1/topics/compute").expectBody().jsonPath("$.nodes.length()").isEqualTo(0);
        delete("/api/v1/nodes/n1").expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void defaultsApplyToAMinimalRegistration() {
        put("/api/v1/nodes/amqp-only", "{\"topics\":[\"compute\"],\"transports\":[\"amqp\"]}")
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.ttlSeconds").isEqualTo(5) // meshrpc.matchmaker.default-ttl of the tests
                .jsonPath("$.endpoint").isEmpty();
        put("/api/v1/nodes/both", "{\"topics\":[\"compute\"],\"endpoint\":\"tcp://[::1]:9501\"}")
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.transports.length()").isEqualTo(2)
                .jsonPath("$.stats").isEmpty();
    }

    @Test
    void aTopicNobodyServesIsEmptyNotMissing() {
        get("/api/v1/topics/nobody").expectStatus().isOk().expectBody()
                .jsonPath("$.topic").isEqualTo("nobody")
                .jsonPath("$.nodes.length()").isEqualTo(0);
    }

    @Test
    void healthAndMetersCarryNoNodeIds() {
        put("/api/v1/nodes/meter-node-1", registration(List.of("compute"), "tcp://n1:9501", 5)).expectStatus().isCreated();
        registry.sweep();
        get("/actuator/health").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.registry.details.store").isEqualTo("memory")
                .jsonPath("$.components.registry.details.liveNodes").isEqualTo(1);
        for (Meter meter : meters.getMeters()) {
            if (meter.getId().getName().startsWith("meshrpc.matchmaker")) {
                assertThat(meter.getId().getTags()).allSatisfy(tag -> {
                    assertThat(tag.getKey()).isIn("topic", "kind"); // kind: a closed set (watch answers)
                    assertThat(tag.getValue()).doesNotContain("meter-node");
                });
            }
        }
        assertThat(meters.get(RegistryMetrics.NODES).tag("topic", "compute").gauge().value()).isEqualTo(1.0);
    }
}
