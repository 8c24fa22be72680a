package io.meshrpc.matchmaker.service.api;

import io.meshrpc.matchmaker.service.registry.NodeRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The revision header on the API's reads, and no per-request observation of heartbeats and watches. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration implements WebMvcConfigurer {

    private final NodeRegistry registry;

    public ApiConfiguration(NodeRegistry registry) {
        this.registry = registry;
    }

    /** Static: the observation registry takes it early, before this configuration and the registry exist. */
    @Bean
    static FleetTrafficObservations fleetTrafficObservations() {
        return new FleetTrafficObservations();
    }

    @Override
    public void addInterceptors(InterceptorRegistry interceptors) {
        interceptors.addInterceptor(new RevisionHeaderInterceptor(registry)).addPathPatterns("/api/v1/**");
    }
}
