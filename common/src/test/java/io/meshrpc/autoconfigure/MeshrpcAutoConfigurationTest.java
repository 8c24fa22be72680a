package io.meshrpc.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.inprocess.InProcessNetwork;
import io.meshrpc.transport.inprocess.InProcessTransport;
import io.meshrpc.transport.zmq.ZmqSettings;

class MeshrpcAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshrpcAutoConfiguration.class))
            .withPropertyValues("meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1");

    @Test
    void ringFileMatchmakerReadsTheTalksJson(@TempDir Path dir) throws Exception {
        Path ring = dir.resolve("matchmaker.json");
        Files.writeString(ring, "{\"scheduler\": [\"sched1\", \"sched2\"], \"consoleauth\": [\"cauth1\", \"cauth2\"]}");
        runner.withPropertyValues("meshrpc.matchmaker.type=ring", "meshrpc.matchmaker.ring-file=" + ring,
                        "meshrpc.zmq.port=9777")
                .run(ctx -> {
                    Matchmaker mm = ctx.getBean(Matchmaker.class);
                    assertThat(mm.lookup("scheduler")).containsExactly(new NodeRef("sched1", "tcp://sched1:9777"),
                            new NodeRef("sched2", "tcp://sched2:9777"));
                    assertThat(mm.lookup("consoleauth")).extracting(NodeRef::nodeId).containsExactly("cauth1", "cauth2");
                });
    }

    @Test
    void theNotifierPublishesUnderThePublisherIdPropertyOrTheNodeId() {
        runner.withPropertyValues("meshrpc.node-id=compute-3", "meshrpc.zmq.port=0", "meshrpc.publisher-id=compute.compute-3")
                .run(ctx -> assertThat(ctx.getBean(io.meshrpc.api.Notifier.class).publisherId())
                        .isEqualTo("compute.compute-3"));
        runner.withPropertyValues("meshrpc.node-id=compute-4", "meshrpc.zmq.port=0")
                .run(ctx -> assertThat(ctx.getBean(io.meshrpc.api.Notifier.class).publisherId()).isEqualTo("compute-4"));
    }

    @Test
    void theNotificationPathOfAPriorityIsSetByItsPropertyAndZmqFirstFailsStartup() {
        runner.withPropertyValues("meshrpc.zmq.port=0", "meshrpc.notifications.delivery.info=zmq",
                        "meshrpc.notifications.delivery.sample=amqp")
                .run(ctx -> assertThat(ctx.getBean(MeshrpcProperties.class).notifications().delivery())
                        .containsEntry(io.meshrpc.api.Priority.INFO, io.meshrpc.matchmaker.protocol.DeliveryPolicy.ZMQ)
                        .containsEntry(io.meshrpc.api.Priority.SAMPLE,
                                io.meshrpc.matchmaker.protocol.DeliveryPolicy.AMQP));
        runner.withPropertyValues("meshrpc.zmq.port=0", "meshrpc.notifications.delivery.error=zmq-first")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("not zmq-first"));
    }

    @Test
    void ringTypeWithoutAFileFailsStartupWithTheProperty() {
        runner.withPropertyValues("meshrpc.matchmaker.type=ring").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("meshrpc.matchmaker.ring-file"));
    }

    @Test
    void aNegativeCallerSpinReachesTheNodeAndFailsStartupNamingTheProperty() {
        runner.withPropertyValues("meshrpc.caller-spin=-1ms").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("meshrpc.caller-spin"));
    }

    @Test
    void curveWithoutKeysFailsStartupNamingTheKeyProperties() {
        runner.withPropertyValues("meshrpc.zmq.curve.enabled=true").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("meshrpc.zmq.curve.key-file").hasMessageContaining("bin/meshrpc keygen"));
    }

    @Test
    void curveKeyFileAndAllowListConfigureTheReceiver(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("node.key");
        io.meshrpc.transport.zmq.CurveKeys keys = io.meshrpc.transport.zmq.CurveKeys.generate();
        keys.write(keyFile);
        String client = io.meshrpc.transport.zmq.CurveKeys.generate().publicKey();
        runner.withPropertyValues("meshrpc.zmq.curve.enabled=true", "meshrpc.zmq.curve.key-file=" + keyFile,
                        "meshrpc.zmq.curve.allowed-clients=" + client, "meshrpc.node-id=n1",
                        "meshrpc.matchmaker.topics.x=n1")
                .run(ctx -> assertThat(ctx.getBean(MeshNode.class).endpoint()).startsWith("tcp://127.0.0.1:"));
    }

    @Test
    void staticPropertiesDefineTopicsAndEndpoints() {
        runner.withPropertyValues("meshrpc.matchmaker.topics.compute=compute-1,compute-2",
                        "meshrpc.matchmaker.endpoints.compute-1=tcp://10.0.0.7:9600")
                .run(ctx -> assertThat(ctx.getBean(Matchmaker.class).lookup("compute")).containsExactly(
                        new NodeRef("compute-1", "tcp://10.0.0.7:9600"), new NodeRef("compute-2", "tcp://compute-2:9501")));
    }

    @Test
    void anApplicationsOwnMatchmakerIsUsedAndTheConfiguredOneBacksOff() {
        InMemoryMatchmaker own = new InMemoryMatchmaker();
        runner.withPropertyValues("meshrpc.matchmaker.type=ring", "meshrpc.node-id=own-directory")
                .withBean(Matchmaker.class, () -> own)
                .run(ctx -> {
                    // type=ring without a file would fail start-up: the property-made directory was never built
                    assertThat(ctx).hasNotFailed().getBean(Matchmaker.class).isSameAs(own);
                    assertThat(own.node("own-directory")).as("the node registered with the application's directory").isPresent();
                });
    }

    @Test
    void anApplicationsOwnNodeIsTheOneStartedAndItsClientTheOneInjected() {
        MeshNode own = MeshNode.builder().nodeId("own-node").matchmaker(new InMemoryMatchmaker())
                .zmq(ZmqSettings.loopback(0)).build();
        runner.withBean(MeshNode.class, () -> own)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(MeshNode.class).getBean(MeshNode.class).isSameAs(own);
                    assertThat(ctx.getBean(RpcClient.class)).isSameAs(own.client());
                    assertThat(own.isRunning()).as("started by the auto-configured lifecycle").isTrue();
                });
    }

    @Test
    void builderCustomizersApplyAfterThePropertiesInTheirOrder() {
        InProcessNetwork network = new InProcessNetwork();
        runner.withPropertyValues("meshrpc.node-id=from-properties")
                .withBean("late", MeshNodeBuilderCustomizer.class, () -> new NamingCustomizer("applied-last", 2))
                .withBean("early", MeshNodeBuilderCustomizer.class, () -> new NamingCustomizer("applied-first", 1))
                .withBean("transport", MeshNodeBuilderCustomizer.class, () -> builder -> builder.inProcess(network, false))
                .run(ctx -> {
                    MeshNode node = ctx.getBean(MeshNode.class);
                    assertThat(node.nodeId()).isEqualTo("applied-last");
                    assertThat(node.endpoint()).as("a customizer put the node on the in-process transport")
                            .startsWith(InProcessTransport.SCHEME);
                });
    }

    /** Names the node; ordered, so the test can see which customizer ran last. */
    private record NamingCustomizer(String nodeId, int order) implements MeshNodeBuilderCustomizer, Ordered {
        @Override
        public void customize(MeshNode.Builder builder) {
            builder.nodeId(nodeId);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    @Test
    void disabledNodeCreatesNoBeans() {
        runner.withPropertyValues("meshrpc.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(RpcClient.class).doesNotHaveBean(MeshNode.class));
    }

    @Test
    void twoApplicationsCallEachOtherThroughTheRpcClientBean() throws Exception {
        InMemoryMatchmaker shared = new InMemoryMatchmaker();
        try (ConfigurableApplicationContext server = app(shared, "sched-a", EchoApp.class);
             ConfigurableApplicationContext client = app(shared, "api-a", EchoApp.class)) {
            assertThat(server.getBean(MeshNode.class).isRunning()).isTrue();
            String answer = client.getBean(RpcClient.class)
                    .call(Target.topic("echo").server("sched-a"), "echo", "ping", String.class, Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo("sched-a:ping");
            server.close();
            assertThat(shared.node("sched-a")).as("deregistered on graceful stop").isEmpty();
        }
    }

    private static ConfigurableApplicationContext app(InMemoryMatchmaker shared, String nodeId, Class<?> source) {
        return new SpringApplicationBuilder(source)
                .web(WebApplicationType.NONE)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("meshrpcMatchmaker", shared))
                .properties("meshrpc.node-id=" + nodeId, "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                        "spring.main.banner-mode=off")
                .run();
    }

    @SpringBootApplication
    static class EchoApp {

        @Bean
        EchoEndpoint echoEndpoint(RpcClient client, MeshNode node) {
            return new EchoEndpoint(node.nodeId());
        }
    }

    @RpcEndpoint(topic = "echo")
    static class EchoEndpoint {
        private final String name;

        EchoEndpoint(String name) {
            this.name = name;
        }

        public String echo(String text) {
            return name + ":" + text;
        }
    }
}
