package io.meshrpc.web;

import io.meshrpc.web.body.BodyLimitFilter;
import io.meshrpc.web.body.BodyLimits;
import io.meshrpc.web.body.BodyTooLargeAdvice;
import io.meshrpc.web.json.JsonReadLimits;
import io.meshrpc.web.json.StrictJsonTypes;
import io.meshrpc.web.path.CanonicalPathFilter;
import io.meshrpc.web.problem.ProblemErrorController;
import io.meshrpc.web.problem.ProblemErrorReportCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * Every servlet service of meshrpc that has this module bounds what a client sends before it parses it, and
 * answers every refusal as an RFC 9457 problem (see {@link HttpLimitsProperties} for the limits).
 *
 * <p>The two filters run right after Spring's observation filter (so that refusals are still measured as
 * requests) and before anything that reads a body or a parameter: first the path, then the body.
 */
@AutoConfiguration(before = {ErrorMvcAutoConfiguration.class, JacksonAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(HttpLimitsProperties.class)
@Import({BodyTooLargeAdvice.class, ProblemErrorController.class})
public class WebHardeningAutoConfiguration {

    /** Right after {@code ServerHttpObservationFilter} (highest precedence + 1). */
    static final int PATH_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;
    static final int BODY_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 3;

    @Bean
    RefusalMetrics refusalMetrics(ObjectProvider<MeterRegistry> registry) {
        return new RefusalMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    BodyLimits bodyLimits(HttpLimitsProperties properties) {
        return new BodyLimits(properties);
    }

    @Bean
    FilterRegistrationBean<CanonicalPathFilter> canonicalPathFilter(RefusalMetrics metrics) {
        FilterRegistrationBean<CanonicalPathFilter> registration =
                new FilterRegistrationBean<>(new CanonicalPathFilter(metrics));
        registration.setOrder(PATH_FILTER_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(BodyLimits limits, RefusalMetrics metrics) {
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter(limits, metrics));
        registration.setOrder(BODY_FILTER_ORDER);
        return registration;
    }

    @Bean
    ProblemErrorReportCustomizer problemErrorReportCustomizer(RefusalMetrics metrics, BodyLimits limits) {
        return new ProblemErrorReportCustomizer(metrics, limits.largest());
    }

    @Bean
    StrictJsonTypes strictJsonTypes() {
        return new StrictJsonTypes();
    }

    @Bean
    JsonReadLimits jsonReadLimits(HttpLimitsProperties properties) {
        return new JsonReadLimits(properties.json());
    }
}
