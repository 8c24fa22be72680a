package io.meshrpc.matchmaker.service.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;

import org.springframework.stereotype.Component;

/**
 * The fleet summary, computed at most once per {@link #MAX_AGE} (on the service's clock) and shared by every caller
 * meanwhile: a hundred dashboards refreshing every few seconds cost one pass over the registry per second, not a
 * hundred. Callers that arrive while it is being recomputed wait for that computation instead of starting their
 * own. A summary is therefore up to about one second old; its {@code time} says when it was computed.
 */
@Component
class FleetSummaryCache {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final NodeRegistry registry;
    private final PolicyService policies;
    private final Clock clock;
    private volatile FleetSummaryView latest;

    FleetSummaryCache(NodeRegistry registry, PolicyService policies, Clock clock) {
        this.registry = registry;
        this.policies = policies;
        this.clock = clock;
    }

    FleetSummaryView get() {
        FleetSummaryView summary = latest;
        if (fresh(summary)) {
            return summary;
        }
        synchronized (this) {
            summary = latest;
            if (!fresh(summary)) {
                long revision = registry.revision(); // read first: what follows reflects at least this one
                summary = FleetTally.summarize(revision, clock.instant(), registry.live(),
                        policies.all(PolicyScope.TOPIC), policies.all(PolicyScope.NODE));
                latest = summary;
            }
            return summary;
        }
    }

    /** Computed less than {@link #MAX_AGE} ago (a clock that went back makes it stale). */
    private boolean fresh(FleetSummaryView summary) {
        if (summary == null) {
            return false;
        }
        Instant now = clock.instant();
        return !now.isBefore(summary.time()) && now.isBefore(summary.time().plus(MAX_AGE));
    }
}
