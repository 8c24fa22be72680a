package io.meshrpc.matchmaker.service.security;

import io.meshrpc.matchmaker.service.MatchmakerProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Guards the write API with the bearer token of {@code meshrpc.matchmaker.token}, when one is set. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    private final MatchmakerProperties properties;

    public SecurityConfiguration(MatchmakerProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        if (properties.tokenRequired()) {
            registry.addInterceptor(new BearerTokenInterceptor(properties.token())).addPathPatterns("/api/v1/**");
        } else {
            log.warn("meshrpc.matchmaker.token is not set: anyone who reaches this service can change the registry");
        }
    }
}
