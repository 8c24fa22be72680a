package io.meshrpc.scheduler.placement;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshrpc.scheduler.SchedulerProperties;

/** The one {@link HostStateCache} of this scheduler. */
@Configuration(proxyBeanMethods = false)
class PlacementConfiguration {

    @Bean
    HostStateCache hostStateCache(Clock clock, SchedulerProperties properties) {
        return new HostStateCache(clock, properties.hostTtl(), properties.claimTtl());
    }
}
