package io.meshrpc.actuate;

import java.util.List;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.env.Environment;

/**
 * Adds {@code meshrpcReadiness} to the {@code readiness} health group Spring Boot creates for its
 * Kubernetes probes, so {@code /actuator/health/readiness} is OUT_OF_SERVICE until the node is
 * registered and receiving, and while it drains, without any configuration.
 *
 * <p>Only Boot's default group is extended: an application that sets
 * {@code management.endpoint.health.group.readiness.include} itself keeps exactly what it lists (add
 * {@code meshrpcReadiness} there). It runs after Boot's {@code AvailabilityProbesHealthEndpointGroupsPostProcessor},
 * which creates the group (the auto-configuration is ordered after Boot's probes).
 */
public class MeshrpcReadinessGroupPostProcessor implements HealthEndpointGroupsPostProcessor {

    /** The contributor's name: the bean {@code meshrpcReadinessHealthIndicator} without its suffix. */
    public static final String MEMBER = "meshrpcReadiness";
    static final String READINESS = "readiness";
    static final String INCLUDE_PROPERTY = "management.endpoint.health.group.readiness.include";

    private final boolean userConfigured;

    public MeshrpcReadinessGroupPostProcessor(Environment environment) {
        this.userConfigured = environment.containsProperty(INCLUDE_PROPERTY);
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (userConfigured || readiness == null || readiness.isMember(MEMBER)) {
            return groups;
        }
        return new Groups(groups, new WithMember(readiness, MEMBER));
    }

    /** Boot's groups with the readiness group replaced; keeps the probes' additional paths. */
    private record Groups(HealthEndpointGroups delegate, HealthEndpointGroup readiness)
            implements HealthEndpointGroups, AdditionalPathsMapper {

        @Override
        public HealthEndpointGroup getPrimary() {
            return delegate.getPrimary();
        }

        @Override
        public Set<String> getNames() {
            return delegate.getNames();
        }

        @Override
        public HealthEndpointGroup get(String name) {
            return READINESS.equals(name) ? readiness : delegate.get(name);
        }

        @Override
        public List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
            return delegate instanceof AdditionalPathsMapper mapper
                    ? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
        }
    }

    /** A group with one more member. */
    private record WithMember(HealthEndpointGroup delegate, String member) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return member.equals(name) || delegate.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return delegate.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return delegate.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return delegate.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return delegate.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return delegate.getAdditionalPath();
        }
    }
}
