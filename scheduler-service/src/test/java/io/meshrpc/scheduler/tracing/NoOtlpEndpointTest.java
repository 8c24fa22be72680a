package io.meshrpc.scheduler.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The service as configured out of the box, without
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} (nor {@code OTEL_EXPORTER_OTLP_*}):
 * it traces (a tracer, W3C propagation into the envelope's {@code ctx}) but builds no span exporter, so it
 * never connects anywhere.
 */
@SpringBootTest(properties = {"meshrpc.node-id=scheduler-noexport", "meshrpc.zmq.port=0",
        "meshrpc.zmq.bind-host=127.0.0.1"})
class NoOtlpEndpointTest {

    @TestConfiguration
    static class Directory {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }
    }

    @Autowired
    ApplicationContext context;

    /**
     * What docker-compose.yml and k8s/ ship: an endpoint configured but
     * {@code management.tracing.export.otlp.enabled=false}; no exporter is built, so the unreachable endpoint
     * (here a closed port) is never dialled.
     */
    @Nested
    @SpringBootTest(properties = {"meshrpc.node-id=scheduler-exportoff", "meshrpc.zmq.port=0",
            "meshrpc.zmq.bind-host=127.0.0.1",
            "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:9/v1/traces",
            "management.tracing.export.otlp.enabled=false"})
    class WithAnEndpointButExportSwitchedOff {

        @Autowired
        ApplicationContext offContext;

        @Test
        void noExporterIsBuilt() {
            assertThat(offContext.getBeansOfType(Tracer.class)).hasSize(1);
            assertThat(offContext.getBeansOfType(SpanExporter.class)).as("span exporters").isEmpty();
        }
    }

    @Test
    void withoutAnOtlpEndpointTheServiceTracesButExportsNothing() {
        for (String var : new String[] {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT"}) {
            Assumptions.assumeTrue(System.getenv(var) == null, var + " is set in this environment");
        }
        assertThat(context.getBeansOfType(Tracer.class)).hasSize(1);
        assertThat(context.getBeansOfType(SpanExporter.class)).as("span exporters").isEmpty();
        assertThat(context.getEnvironment().getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
                .isNull();
    }
}
