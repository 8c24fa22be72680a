package io.meshrpc.matchmaker.service.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.meshrpc.matchmaker.service.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.meshrpc.matchmaker.service.revision.ChangeHistory;
import io.meshrpc.matchmaker.service.revision.LocalChangeLog;

import org.junit.jupiter.api.Test;

/** The background sweep removes expired nodes on its own, and counts them. */
class ExpirySweeperTest {

    @Test
    void sweepsInTheBackground() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        InMemoryNodeStore store = new InMemoryNodeStore();
        NodeRegistry registry = new NodeRegistry(store, new InMemoryStatsStore(),
                new LocalChangeLog(new ChangeHistory(100, 1)), clock, new RegistryMetrics(meters), 9501);
        registry.register("n1", new Registration(List.of("compute"), "tcp://n1:9501", List.of(Transport.ZMQ), null,
                null, Duration.ofSeconds(1)));
        registry.register("n2", new Registration(List.of("compute"), "tcp://n2:9501", List.of(Transport.ZMQ), null,
                null, Duration.ofSeconds(10)));
        ExpirySweeper sweeper = new ExpirySweeper(registry, Duration.ofMillis(20));
        sweeper.start();
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(meters.get(RegistryMetrics.NODES).tag("topic", "compute").gauge().value()).isEqualTo(2.0));
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.get("n1").isEmpty());
            assertThat(store.get("n2")).isPresent();
            assertThat(meters.get(RegistryMetrics.EXPIRATIONS).counter().count()).isEqualTo(1.0);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(meters.get(RegistryMetrics.NODES).tag("topic", "compute").gauge().value()).isEqualTo(1.0));
        } finally {
            sweeper.stop();
        }
        assertThat(sweeper.isRunning()).isFalse();
    }
}
