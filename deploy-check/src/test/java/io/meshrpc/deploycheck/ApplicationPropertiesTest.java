package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Each service's own {@code application.properties} against the configuration metadata of the jar its image
 * runs: a misspelt or deprecated name there is ignored by Spring Boot without a word (observability settings
 * such as the latency histogram or the OTLP export would silently stay off).
 */
class ApplicationPropertiesTest {

    static final String CALL_HISTOGRAM = "management.metrics.distribution.percentiles-histogram.meshrpc.call.duration";

    /** The modules that build a service image, with their jars. */
    private static Map<String, ServiceJar> services() {
        Map<String, ServiceJar> out = new TreeMap<>();
        Repo.modules().forEach((name, m) -> {
            if (m.buildsExecJar() && Repo.PLANNED_HTTP_PORTS.containsKey(name)) {
                out.put(name, ServiceJar.of(m));
            }
        });
        return out;
    }

    @Test
    void everyApplicationPropertyIsOneTheServiceReadsAndNoneIsDeprecated() {
        assertThat(services()).containsOnlyKeys(Repo.PLANNED_HTTP_PORTS.keySet());
        List<String> problems = new ArrayList<>();
        services().forEach((module, jar) -> {
            Properties props = jar.module().applicationProperties();
            for (String name : props.stringPropertyNames()) {
                Optional<ServiceJar.Property> p = SpringEnv.propertyNamed(name, jar);
                if (p.isEmpty()) {
                    problems.add(module + ": " + name + " is no property of its exec jar's configuration metadata");
                } else if (p.get().deprecated()) {
                    problems.add(module + ": " + name + " is deprecated (" + p.get().deprecationLevel() + ")");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyMeshNodeRecordsCallLatencyBucketsForTheDashboardsPercentiles() {
        services().forEach((module, jar) -> {
            if (jar.isMeshNode()) {
                assertThat(jar.module().applicationProperties().getProperty(CALL_HISTOGRAM))
                        .as(module + " " + CALL_HISTOGRAM + " (docs/grafana/meshrpc.json: latency percentiles)")
                        .isEqualTo("true");
            }
        });
    }

    @Test
    void everyServiceCanExportSpansOverOtlpAndDoesNotByDefault() {
        services().forEach((module, jar) -> {
            assertThat(jar.hasLibrary("micrometer-tracing-bridge-otel")).as(module + ": Micrometer Tracing's OTel bridge")
                    .isTrue();
            assertThat(jar.hasLibrary("opentelemetry-exporter-otlp")).as(module + ": the OTLP exporter").isTrue();
            assertThat(jar.properties()).as(module).containsKeys("management.opentelemetry.tracing.export.otlp.endpoint",
                    "management.tracing.export.otlp.enabled", "management.tracing.sampling.probability");
            assertThat(jar.module().applicationProperties().getProperty(
                    "management.opentelemetry.tracing.export.otlp.endpoint"))
                    .as(module + ": no OTLP endpoint in application.properties (export only where one is configured)")
                    .isNull();
        });
    }
}
