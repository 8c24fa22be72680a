package io.meshrpc.matchmaker.service.watch;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The hub's meters: {@code meshrpc.matchmaker.watches} (watches waiting now) and
 * {@code meshrpc.matchmaker.watch.answers} {kind: snapshot | delta | unchanged}.
 */
public final class WatchMetrics {

    public static final String WATCHES = "meshrpc.matchmaker.watches";
    public static final String ANSWERS = "meshrpc.matchmaker.watch.answers";

    /** What an answer held. */
    public enum Kind {
        SNAPSHOT, DELTA, UNCHANGED
    }

    private final MeterRegistry registry;
    private final Map<Kind, Counter> answers = new EnumMap<>(Kind.class);

    public WatchMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Kind kind : Kind.values()) {
            answers.put(kind, Counter.builder(ANSWERS).tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Watch answers sent, by what they held").register(registry));
        }
    }

    /** Reports the hub's waiting watches as a gauge. */
    void watch(WatchHub hub) {
        Gauge.builder(WATCHES, hub, WatchHub::waiting).description("Watches waiting for a change")
                .baseUnit("watches").register(registry);
    }

    void answered(Kind kind) {
        answers.get(kind).increment();
    }
}
