package io.meshrpc.scheduler.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.scheduler.tracing.OtlpHttpReceiver.Span;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.SchedulerApi;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.observation.ObservationRegistry;

/**
 * The scheduler service as shipped (its own dependencies and auto-configuration, nothing mocked on the
 * tracing side) exports its meshrpc spans over OTLP/HTTP to the endpoint set in
 * {@code management.opentelemetry.tracing.export.otlp.endpoint}: here a real HTTP server on a free port
 * that reads the protobuf bodies. A caller node sharing the application's {@link ObservationRegistry} calls
 * the scheduler over loopback ZeroMQ; the {@code handle} span the scheduler exports continues the caller's
 * {@code send} span, so the trace context crossed the hop in the envelope.
 */
@SpringBootTest(properties = {
        "meshrpc.node-id=scheduler-otlp", "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
        "management.tracing.sampling.probability=1.0",
        "management.opentelemetry.tracing.export.schedule-delay=100ms"})
@DirtiesContext
class SpanExportTest {

    private static final OtlpHttpReceiver RECEIVER = new OtlpHttpReceiver();

    @DynamicPropertySource
    static void exportTo(DynamicPropertyRegistry registry) {
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", RECEIVER::tracesUrl);
    }

    @TestConfiguration
    static class Directory {
        @Bean
        InMemoryMatchmaker matchmaker() {
            return new InMemoryMatchmaker();
        }

        /** Closed with the context, after the tracer provider's last flush (created before it). */
        @Bean(destroyMethod = "close")
        OtlpHttpReceiver otlpReceiver() {
            return RECEIVER;
        }
    }

    @Autowired
    Matchmaker matchmaker;

    @Autowired
    ObservationRegistry observations;

    private MeshNode caller;

    @AfterEach
    void stop() {
        if (caller != null) {
            caller.stop();
        }
    }

    @Test
    void serviceExportsItsMeshrpcSpansOverOtlp() throws Exception {
        caller = MeshNode.builder().nodeId("api-otlp").matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .observationRegistry(observations).defaultTimeout(Duration.ofSeconds(5)).build().start();
        caller.client().fanout(SchedulerApi.TOPIC, SchedulerApi.UPDATE_CAPACITY,
                new CapacityReport("compute-otlp", 8, 8192, 8, 8192, List.of())).get(5, TimeUnit.SECONDS);
        SchedulerApi scheduler = caller.client().proxy(SchedulerApi.class);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(scheduler.selectDestination(BuildRequest.of("i-otlp", 1, 512)).host())
                        .isEqualTo("compute-otlp"));

        String handleName = SchedulerApi.TOPIC + "." + SchedulerApi.SELECT_DESTINATION + " handle";
        String sendName = SchedulerApi.TOPIC + "." + SchedulerApi.SELECT_DESTINATION + " send";
        // the exporter batches every 100 ms: wait for a handle span whose parent send span was exported too
        await().atMost(Duration.ofSeconds(15)).until(() -> hop(RECEIVER.spans(), handleName).isPresent());

        List<OtlpHttpReceiver.Request> requests = RECEIVER.requests();
        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.contentType()).isEqualTo("application/x-protobuf");
        });
        assertThat(requests).anySatisfy(r -> assertThat(new String(r.body(), StandardCharsets.ISO_8859_1))
                .contains(handleName, "meshrpc.topic"));
        assertThat(RECEIVER.otherRequests()).as("requests to other paths than /v1/traces").isZero();

        List<Span> spans = RECEIVER.spans();
        Hop hop = hop(spans, handleName).orElseThrow();
        Span handle = hop.handle();
        Span send = hop.send();
        assertThat(handle.kind()).as("a call is handled as a SERVER span").isEqualTo(OtlpHttpReceiver.SERVER);
        assertThat(handle.service()).isEqualTo("scheduler-service");
        assertThat(handle.attributes()).containsEntry("meshrpc.topic", SchedulerApi.TOPIC)
                .containsEntry("meshrpc.method", SchedulerApi.SELECT_DESTINATION)
                .containsEntry("meshrpc.kind", "call");
        assertThat(send.name()).isEqualTo(sendName);
        assertThat(send.kind()).as("a call is sent as a CLIENT span").isEqualTo(OtlpHttpReceiver.CLIENT);
        assertThat(handle.traceId()).isEqualTo(send.traceId()).hasSize(32).isNotEqualTo("0".repeat(32));

        // the capacity fanout: PRODUCER on the caller, CONSUMER on the scheduler
        String fanoutHandle = SchedulerApi.TOPIC + "." + SchedulerApi.UPDATE_CAPACITY + " handle";
        assertThat(spans).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo(fanoutHandle);
            assertThat(s.kind()).isEqualTo(OtlpHttpReceiver.CONSUMER);
        });
    }

    /** A {@code handle} span of that name and the exported {@code send} span it continues (its parent). */
    private record Hop(Span send, Span handle) {
    }

    private static Optional<Hop> hop(List<Span> spans, String handleName) {
        return spans.stream().filter(h -> h.name().equals(handleName))
                .flatMap(h -> spans.stream().filter(s -> s.spanId().equals(h.parentSpanId())
                        && s.traceId().equals(h.traceId())).map(s -> new Hop(s, h)))
                .findFirst();
    }
}
