package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.observation.MeshrpcObservation;
import io.meshrpc.observation.MeshrpcReceiverContext;
import io.meshrpc.qpid.EmbeddedQpidBroker;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.TransportName;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * One trace across gateway -> scheduler -> compute: three real nodes over loopback ZeroMQ, each
 * observing with Micrometer Tracing's OpenTelemetry bridge and W3C propagation. The trace context
 * crosses nodes only in the envelope's {@code ctx} ({@code traceparent}).
 */
class TracingTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private SdkTracerProvider tracerProvider;
    private OtelTracer tracer;
    private ObservationRegistry observations;
    /** The {@code ctx} of every envelope a node handled, by topic and method. */
    private final Map<String, Map<String, String>> receivedCtx = new ConcurrentHashMap<>();
    private RpcCluster cluster;

    @BeforeEach
    void tracing() {
        tracerProvider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
        io.opentelemetry.api.trace.Tracer otel = tracerProvider.get("meshrpc-tracing-test");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        tracer = new OtelTracer(otel, current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(propagators, otel);
        observations = ObservationRegistry.create();
        observations.observationConfig()
                .observationHandler(new ObservationHandler<MeshrpcReceiverContext>() {
                    @Override
                    public void onStart(MeshrpcReceiverContext context) {
                        receivedCtx.put(context.envelope().topic() + "." + context.envelope().method(),
                                Map.copyOf(context.envelope().ctx()));
                    }

                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return context instanceof MeshrpcReceiverContext;
                    }
                })
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
        tracerProvider.close();
    }

    /** The compute node: remembers the trace id current while each method ran. */
    @RpcEndpoint(topic = "compute")
    static final class Compute {
        final Map<String, String> traceIds = new ConcurrentHashMap<>();
        final CountDownLatch built = new CountDownLatch(1);
        private final OtelTracer tracer;

        Compute(OtelTracer tracer) {
            this.tracer = tracer;
        }

        public String reserve(String instance) {
            traceIds.put("reserve", currentTraceId(tracer));
            return "host-1";
        }

        public void build(String instance) {
            traceIds.put("build", currentTraceId(tracer));
            built.countDown();
        }
    }

    /** The scheduler node: a call from the gateway makes a call and a cast to compute. */
    @RpcEndpoint(topic = "scheduler")
    static final class Scheduler {
        volatile RpcClient client;
        volatile String traceId;
        private final OtelTracer tracer;

        Scheduler(OtelTracer tracer) {
            this.tracer = tracer;
        }

        public String schedule(String instance) throws Exception {
            traceId = currentTraceId(tracer);
            String host = client.<String>invoke(Target.topic("compute"), "reserve", String.class,
                    Duration.ofSeconds(10), instance).get(10, TimeUnit.SECONDS);
            client.cast(Target.topic("compute"), "build", instance).get(10, TimeUnit.SECONDS);
            return host;
        }
    }

    private static String currentTraceId(OtelTracer tracer) {
        Span span = tracer.currentSpan();
        return span == null ? null : span.context().traceId();
    }

    /** Builds and starts a node of the cluster under test, observed by {@link #observations}. */
    @FunctionalInterface
    private interface Nodes {
        MeshNode start(String nodeId, Object... endpoints);
    }

    @Test
    void oneTraceIdFromGatewayThroughSchedulerToComputeOverZeroMq() throws Exception {
        TestCluster zmq = new TestCluster();
        cluster = zmq;
        oneTrace((id, endpoints) -> zmq.start(MeshNode.builder().nodeId(id).endpoints(endpoints)
                .observationRegistry(observations)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(TestCluster.ACK_TIMEOUT))), TransportName.ZMQ.tag());
    }

    /** The same through a real Qpid Broker-J, every message on the broker: ctx survives AMQP. */
    @Test
    void oneTraceIdFromGatewayThroughSchedulerToComputeOverAmqp() throws Exception {
        try (EmbeddedQpidBroker broker = EmbeddedQpidBroker.start()) {
            BrokerCluster amqp = new BrokerCluster("127.0.0.1", broker.port(), "trace" + System.nanoTime() + ".");
            cluster = amqp;
            try {
                oneTrace((id, endpoints) -> amqp.start(amqp.builder(id, RoutingSettings.of(DeliveryPolicy.AMQP),
                        endpoints).observationRegistry(observations)), TransportName.AMQP.tag());
            } finally {
                cluster = null;
                amqp.close();
            }
        }
    }

    private void oneTrace(Nodes nodes, String transport) throws Exception {
        Compute compute = new Compute(tracer);
        Scheduler scheduler = new Scheduler(tracer);
        nodes.start("compute-1", compute);
        MeshNode schedulerNode = nodes.start("scheduler-1", scheduler);
        scheduler.client = schedulerNode.client();
        MeshNode gateway = nodes.start("gateway-1");

        Observation request = Observation.createNotStarted("gateway.request", observations).start();
        String rootTraceId;
        String host;
        try (Observation.Scope scope = request.openScope()) {
            rootTraceId = currentTraceId(tracer);
            host = gateway.client().<String>invoke(Target.topic("scheduler"), "schedule", String.class,
                    Duration.ofSeconds(10), "vm-1").get(10, TimeUnit.SECONDS);
        } finally {
            request.stop();
        }
        assertThat(host).isEqualTo("host-1");
        assertThat(compute.built.await(10, TimeUnit.SECONDS)).isTrue();

        // gateway.request, 2 x (send + handle) for the calls, send + handle for the cast
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().size() >= 7);
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(rootTraceId).matches("[0-9a-f]{32}");
        assertThat(finished).extracting(SpanData::getTraceId).containsOnly(rootTraceId);
        assertThat(scheduler.traceId).isEqualTo(rootTraceId);
        assertThat(compute.traceIds).containsEntry("reserve", rootTraceId).containsEntry("build", rootTraceId);

        // the context crossed the wire in ctx.traceparent, naming the sending span as the parent
        Map<String, SpanData> byName = finished.stream()
                .collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
        assertThat(byName).containsKeys("scheduler.schedule send", "scheduler.schedule handle",
                "compute.reserve send", "compute.reserve handle", "compute.build send", "compute.build handle");
        for (String method : List.of("scheduler.schedule", "compute.reserve", "compute.build")) {
            SpanData send = byName.get(method + " send");
            SpanData handle = byName.get(method + " handle");
            assertThat(handle.getParentSpanId()).as(method).isEqualTo(send.getSpanId());
            assertThat(receivedCtx.get(method)).as(method).containsKey("traceparent");
            // version 00, the trace, the sending span as parent; flags: sampled (plus "random" in newer SDKs)
            assertThat(receivedCtx.get(method).get("traceparent")).as(method)
                    .matches("00-" + rootTraceId + "-" + send.getSpanId() + "-0[13]");
        }
        SpanData handleSchedule = byName.get("scheduler.schedule handle");
        assertThat(byName.get("scheduler.schedule send").getParentSpanId())
                .isEqualTo(byName.get("gateway.request").getSpanId());
        assertThat(byName.get("compute.reserve send").getParentSpanId()).isEqualTo(handleSchedule.getSpanId());
        assertThat(byName.get("compute.build send").getParentSpanId()).isEqualTo(handleSchedule.getSpanId());

        assertThat(byName.get("scheduler.schedule send").getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(byName.get("scheduler.schedule handle").getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(byName.get("compute.build send").getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(byName.get("compute.build handle").getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(byName.get("compute.build send").getAttributes().asMap().entrySet())
                .anySatisfy(e -> {
                    assertThat(e.getKey().getKey()).isEqualTo(MeshrpcObservation.LowCardinalityKeys.TRANSPORT.asString());
                    assertThat(e.getValue()).isEqualTo(transport);
                });
    }
}
