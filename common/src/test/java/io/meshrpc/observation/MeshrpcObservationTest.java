package io.meshrpc.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.autoconfigure.MeshrpcAutoConfiguration;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

/** The observations' names and key values as meters see them, and their wiring in Spring Boot. */
class MeshrpcObservationTest {

    private final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private final List<MeshNode> nodes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(MeshNode::stop);
    }

    @RpcEndpoint(topic = "obs")
    public static final class Echo {
        public String echo(String s) {
            return s;
        }

        public void note(String s) {
        }

        public String fail(String s) {
            throw new IllegalStateException("no " + s);
        }
    }

    private MeshNode node(String id, ObservationRegistry observations, Object... endpoints) {
        MeshNode node = MeshNode.builder().nodeId(id).matchmaker(matchmaker).endpoints(endpoints)
                .observationRegistry(observations).zmq(ZmqSettings.loopback(0)).build().start();
        nodes.add(node);
        return node;
    }

    @Test
    void timersNamedByTheObservationsWithLowCardinalityTagsOnly() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        node("obs-1", observations, new Echo());
        RpcClient client = node("caller-1", observations).client();

        assertThat(client.<String>invoke(Target.topic("obs"), "echo", String.class, Duration.ofSeconds(5), "hi")
                .get(5, TimeUnit.SECONDS)).isEqualTo("hi");
        client.cast(Target.topic("obs"), "note", "x").get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.invoke(Target.topic("obs"), "fail", String.class, Duration.ofSeconds(5), "x")
                .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(timer(meters, "meshrpc.send", "echo")).isNotNull();
            assertThat(timer(meters, "meshrpc.send", "note")).isNotNull();
            assertThat(timer(meters, "meshrpc.handle", "note")).isNotNull();
            assertThat(timer(meters, "meshrpc.handle", "fail")).isNotNull();
        });
        assertThat(timer(meters, "meshrpc.send", "echo").getId().getTags()).containsExactlyInAnyOrder(
                Tag.of("meshrpc.topic", "obs"), Tag.of("meshrpc.method", "echo"), Tag.of("meshrpc.kind", "call"),
                Tag.of("meshrpc.transport", "zmq"), Tag.of("error", "none"));
        assertThat(timer(meters, "meshrpc.send", "note").getId().getTag("meshrpc.kind")).isEqualTo("cast");
        assertThat(timer(meters, "meshrpc.handle", "note").getId().getTag("meshrpc.transport")).isEqualTo("zmq");
        assertThat(timer(meters, "meshrpc.handle", "fail").getId().getTag("meshrpc.error.type"))
                .isEqualTo("IllegalStateException");
        assertThat(timer(meters, "meshrpc.handle", "note").getId().getTag("meshrpc.error.type")).isEqualTo("none");
        assertThat(timer(meters, "meshrpc.send", "fail").getId().getTag("error")).isEqualTo("RemoteException");
        // node and message ids never become tags
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags())
                .noneMatch(t -> t.getKey().equals("meshrpc.peer") || t.getKey().equals("meshrpc.message.id")));
    }

    private static Timer timer(SimpleMeterRegistry meters, String name, String method) {
        return meters.find(name).tag("meshrpc.method", method).timer();
    }

    /** Records the contexts of every meshrpc observation. */
    static final class Recorder implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> started = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            started.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof MeshrpcSenderContext || context instanceof MeshrpcReceiverContext;
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshrpcAutoConfiguration.class))
            .withPropertyValues("meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1", "meshrpc.node-id=boot-1")
            .withBean(Matchmaker.class, () -> matchmaker)
            .withBean(Echo.class, Echo::new)
            .withBean(Recorder.class, Recorder::new)
            .withBean(ObservationRegistry.class, () -> ObservationRegistry.create());

    @Test
    void springBootNodeObservesWithTheApplicationsRegistry() {
        runner.run(ctx -> {
            ctx.getBean(ObservationRegistry.class).observationConfig().observationHandler(ctx.getBean(Recorder.class));
            assertThat(ctx.getBean(RpcClient.class).<String>invoke(Target.topic("obs"), "echo", String.class,
                    Duration.ofSeconds(5), "hi").get(5, TimeUnit.SECONDS)).isEqualTo("hi");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ctx.getBean(Recorder.class).started)
                    .hasAtLeastOneElementOfType(MeshrpcSenderContext.class)
                    .hasAtLeastOneElementOfType(MeshrpcReceiverContext.class));
        });
    }

    @Test
    void observationsCanBeSwitchedOffInSpringBoot() {
        runner.withPropertyValues("meshrpc.observation.enabled=false").run(ctx -> {
            ctx.getBean(ObservationRegistry.class).observationConfig().observationHandler(ctx.getBean(Recorder.class));
            assertThat(ctx.getBean(RpcClient.class).<String>invoke(Target.topic("obs"), "echo", String.class,
                    Duration.ofSeconds(5), "hi").get(5, TimeUnit.SECONDS)).isEqualTo("hi");
            assertThat(ctx.getBean(Recorder.class).started).isEmpty();
        });
    }
}
