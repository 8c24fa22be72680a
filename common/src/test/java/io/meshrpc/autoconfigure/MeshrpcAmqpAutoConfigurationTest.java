package io.meshrpc.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.meshrpc.actuate.MeshrpcEndpoint;
import io.meshrpc.node.NodeReport;
import io.meshrpc.actuate.MeshrpcEndpointAutoConfiguration;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.testsupport.EmbeddedQpid;

/** The broker transport and the {@code meshrpc} actuator endpoint, configured by Spring Boot. */
class MeshrpcAmqpAutoConfigurationTest {

    @RegisterExtension
    static final EmbeddedQpid broker = new EmbeddedQpid();

    @RpcEndpoint(topic = "echo")
    static class Echo {
        public String echo(String text) {
            return "echo:" + text;
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshrpcAmqpAutoConfiguration.class,
                    MeshrpcAutoConfiguration.class, MeshrpcEndpointAutoConfiguration.class))
            .withBean(Echo.class)
            .withPropertyValues("meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1", "meshrpc.node-id=n1",
                    "meshrpc.matchmaker.topics.echo=n1", "management.endpoints.web.exposure.include=meshrpc");

    @Test
    void brokerTransportIsConfiguredFromSpringRabbitmqAndAnEndpointOverrideMovesATopicToIt() {
        runner.withPropertyValues("meshrpc.amqp.enabled=true", "spring.rabbitmq.host=127.0.0.1",
                        "spring.rabbitmq.port=" + broker.port(), "meshrpc.amqp.prefix=auto.")
                .run(ctx -> {
                    MeshNode node = ctx.getBean(MeshNode.class);
                    assertThat(node.report().transports().get("amqp")).isEqualTo(java.util.Map.of("enabled", true, "running", true));
                    MeshrpcEndpoint endpoint = ctx.getBean(MeshrpcEndpoint.class);
                    assertThat(endpoint.report().policies().defaultPolicy()).isEqualTo("zmq-first");

                    endpoint.setPolicy("topics", "echo", "amqp");
                    String reply = ctx.getBean(RpcClient.class).call(Target.topic("echo").server("n1"), "echo", "hi",
                            String.class, Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);

                    assertThat(reply).isEqualTo("echo:hi");
                    assertThat(node.metrics().count(RpcMetrics.SENT, "transport", "amqp", "kind", "CALL")).isEqualTo(1);
                    assertThat(node.metrics().count(RpcMetrics.SENT, "transport", "zmq", "kind", "CALL")).isZero();
                    assertThat(endpoint.report().policies().servedTopics())
                            .containsEntry("echo", new NodeReport.Resolved("amqp", "override:topic"));
                    assertThat(endpoint.report().queues().brokerPendingConfirms()).isZero();
                });
    }

    @Test
    void configuredTopicPolicyIsUsedAndTheEndpointRejectsAnUnknownPolicy() {
        runner.withPropertyValues("meshrpc.routing.topics.echo=zmq").run(ctx -> {
            MeshrpcEndpoint endpoint = ctx.getBean(MeshrpcEndpoint.class);
            assertThat(endpoint.report().policies().servedTopics())
                    .containsEntry("echo", new NodeReport.Resolved("zmq", "meshrpc.routing.topics.echo"));
            assertThatThrownBy(() -> endpoint.setPolicy("topics", "echo", "fast"))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("zmq-first");
            assertThatThrownBy(() -> endpoint.setPolicy("hosts", "echo", "amqp"))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("Unknown scope 'hosts'");
        });
    }

    @Test
    void amqpEnabledWithoutSpringBootAmqpFailsStartupNamingTheStarter() {
        runner.withClassLoader(new FilteredClassLoader(RabbitProperties.class))
                .withPropertyValues("meshrpc.amqp.enabled=true")
                .run(ctx -> assertThat(ctx).getFailure().rootCause()
                        .hasMessageContaining("spring-boot-starter-amqp"));
    }
}
