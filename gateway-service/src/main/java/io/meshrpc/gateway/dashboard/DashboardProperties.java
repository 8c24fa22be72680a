package io.meshrpc.gateway.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The migration dashboard ({@code /dashboard}).
 *
 * @param sampleInterval       how often the gateway samples its own meters to compute rates
 * @param history              how many rate points are kept (and shown when the page opens)
 * @param matchmakerTimeout    deadline of each request to the matchmaker (fleet view, policy change)
 * @param allowPolicyChanges   whether {@code PUT/DELETE /api/v1/dashboard/policies/...} may change
 *                             policies (with the gateway's matchmaker token); {@code false}: 403
 */
@ConfigurationProperties("gateway.dashboard")
public record DashboardProperties(@DefaultValue("2s") Duration sampleInterval, @DefaultValue("150") int history,
                                  @DefaultValue("3s") Duration matchmakerTimeout,
                                  @DefaultValue("true") boolean allowPolicyChanges) {

    public DashboardProperties {
        if (sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("gateway.dashboard.sample-interval must be positive, was "
                    + sampleInterval);
        }
        if (history < 2) {
            throw new IllegalArgumentException("gateway.dashboard.history must be at least 2, was " + history);
        }
        if (matchmakerTimeout.isNegative() || matchmakerTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.dashboard.matchmaker-timeout must be positive, was "
                    + matchmakerTimeout);
        }
    }
}
