package io.meshrpc.matchmaker.service.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link NodeStore} must do; run against each implementation. */
public abstract class NodeStoreContractTest {

    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    protected NodeStore store;

    /** A fresh, empty store. */
    protected abstract NodeStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    static NodeRecord registered(String id, Instant at, int ttlSeconds, String... topics) {
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        return new NodeRecord(id, NodeSource.REGISTERED, List.of(topics), "tcp://" + id + ":9501",
                List.of(Transport.ZMQ), null, null, ttl, at, at, at.plus(ttl));
    }

    static NodeRecord ring(String id, String... topics) {
        return new NodeRecord(id, NodeSource.RING, List.of(topics), "tcp://" + id + ":9501",
                List.of(Transport.ZMQ, Transport.AMQP), null, null, null, T0, null, null);
    }

    @Test
    void theTopicIndexFollowsRegistrationChanges() {
        store.put(registered("n1", T0, 30, "a", "b"));
        store.put(registered("n2", T0, 30, "b"));
        assertThat(store.byTopic("a")).extracting(NodeRecord::nodeId).containsExactly("n1");
        assertThat(store.byTopic("b")).extracting(NodeRecord::nodeId).containsExactlyInAnyOrder("n1", "n2");

        assertThat(store.put(registered("n1", T0, 30, "c"))).isPresent();
        assertThat(store.byTopic("a")).isEmpty();
        assertThat(store.byTopic("b")).extracting(NodeRecord::nodeId).containsExactly("n2");
        assertThat(store.byTopic("c")).extracting(NodeRecord::nodeId).containsExactly("n1");

        assertThat(store.remove("n2")).isPresent();
        assertThat(store.byTopic("b")).isEmpty();
        assertThat(store.remove("n2")).isEmpty();
        assertThat(store.all()).extracting(NodeRecord::nodeId).containsExactly("n1");
    }

    @Test
    void recordsComeBackAsStored() {
        NodeRecord node = new NodeRecord("n@1", NodeSource.REGISTERED, List.of("b", "a"), "tcp://[::1]:9501",
                List.of(Transport.ZMQ, Transport.AMQP), "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
                java.util.Map.of("sent", java.util.Map.of("zmq", 12, "amqp", 3)), Duration.ofSeconds(30), T0,
                T0.plusSeconds(5), T0.plusSeconds(35));
        assertThat(store.put(node)).isEmpty();
        assertThat(store.get("n@1")).contains(node);
        assertThat(store.byTopic("a")).containsExactly(node);
        assertThat(store.put(ring("n@2", "a"))).isEmpty();
        assertThat(store.get("n@2")).contains(ring("n@2", "a"));
        assertThat(store.get("nobody")).isEmpty();
    }

    @Test
    void removeExpiredTakesOnlyNodesPastTheirTtl() {
        store.put(registered("short", T0, 1, "a"));
        store.put(registered("long", T0, 60, "a"));
        store.put(ring("static", "a"));
        assertThat(store.removeExpired(T0.plusMillis(999))).isEmpty();
        assertThat(store.removeExpired(T0.plusSeconds(1))).extracting(NodeRecord::nodeId).containsExactly("short");
        assertThat(store.removeExpired(T0.plusSeconds(1))).as("each expiry is handed out once").isEmpty();
        assertThat(store.byTopic("a")).extracting(NodeRecord::nodeId).containsExactlyInAnyOrder("long", "static");
        assertThat(store.removeExpired(T0.plus(Duration.ofDays(365)))).extracting(NodeRecord::nodeId)
                .containsExactly("long");
    }

    @Test
    void replaceRingKeepsLiveRegistrationsAndDropsUnlistedRingNodes() {
        store.put(ring("old", "a"));
        store.put(registered("reg", T0, 10, "x"));
        store.put(registered("stale", T0, 1, "x"));
        store.put(registered("other", T0, 10, "y"));

        RingReplaceResult result = store.replaceRing(List.of(ring("reg", "a"), ring("stale", "a"), ring("new", "a", "b")),
                T0.plusSeconds(5));

        assertThat(result).isEqualTo(new RingReplaceResult(2, 2, 1, List.of("reg")));
        assertThat(store.get("old")).isEmpty();
        assertThat(store.get("reg").orElseThrow().source()).isEqualTo(NodeSource.REGISTERED);
        assertThat(store.get("stale").orElseThrow().source()).as("an expired registration gives way").isEqualTo(NodeSource.RING);
        assertThat(store.get("other")).isPresent();
        assertThat(store.byTopic("x")).extracting(NodeRecord::nodeId).containsExactly("reg");
        assertThat(store.byTopic("a")).extracting(NodeRecord::nodeId).containsExactlyInAnyOrder("stale", "new");
    }
}
