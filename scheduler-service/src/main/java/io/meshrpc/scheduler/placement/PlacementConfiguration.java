package io.meshrpc.scheduler.placement;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshrpc.scheduler.SchedulerProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The one {@link HostStateCache} of this scheduler, and the meters that show what it holds and refuses. */
@Configuration(proxyBeanMethods = false)
class PlacementConfiguration {

    @Bean
    HostStateCache hostStateCache(Clock clock, SchedulerProperties properties, MeterRegistry meters) {
        HostStateCache cache = new HostStateCache(clock, properties);
        Gauge.builder("scheduler.hosts", cache, c -> c.stats().hosts())
                .description("Compute hosts this scheduler knows (reported within scheduler.host-ttl)").register(meters);
        Gauge.builder("scheduler.claims", cache, c -> c.stats().claims())
                .description("Placements not yet confirmed by their host's report").register(meters);
        FunctionCounter.builder("scheduler.reports.refused", cache, c -> c.stats().refusedReports())
                .description("Capacity reports of new hosts refused because scheduler.max-hosts were held")
                .register(meters);
        FunctionCounter.builder("scheduler.reports.stale", cache, c -> c.stats().staleReports())
                .description("Capacity reports ignored because a later one of the same host had been taken")
                .register(meters);
        FunctionCounter.builder("scheduler.hosts.forgotten", cache, c -> c.stats().forgottenHosts())
                .description("Hosts forgotten after scheduler.host-ttl without a report").register(meters);
        FunctionCounter.builder("scheduler.claims.released", cache, c -> c.stats().releasedClaims())
                .description("Claims released before their host reported the instance (expired, contradicted"
                        + " by a report, or pushed out)").register(meters);
        return cache;
    }
}
