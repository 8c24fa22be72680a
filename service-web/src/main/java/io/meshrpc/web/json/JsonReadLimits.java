package io.meshrpc.web.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactoryBuilder;

import io.meshrpc.web.HttpLimitsProperties;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.core.Ordered;

/**
 * The parser limits of {@code meshrpc.http.json.*} on the application's JSON factory. Runs after Spring Boot's
 * own factory customizer, which sets Jackson's (looser) defaults from {@code spring.jackson.factory.*}.
 */
public final class JsonReadLimits implements JsonFactoryBuilderCustomizer, Ordered {

    private final HttpLimitsProperties.Json limits;

    public JsonReadLimits(HttpLimitsProperties.Json limits) {
        this.limits = limits;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(JsonFactoryBuilder builder) {
        builder.streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxStringLength(limits.maxStringLength())
                .maxNumberLength(limits.maxNumberLength())
                .maxNameLength(limits.maxNameLength())
                .build());
    }
}
