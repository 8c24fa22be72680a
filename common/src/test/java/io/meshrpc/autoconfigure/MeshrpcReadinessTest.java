package io.meshrpc.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshrpc.actuate.MeshrpcReadinessGroupPostProcessor;
import io.meshrpc.actuate.MeshrpcReadinessHealthIndicator;
import io.meshrpc.api.RpcClient;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;

/**
 * Kubernetes readiness of a meshrpc application, with Spring Boot's own availability probes and no
 * configuration but {@code management.endpoint.health.probes.enabled=true} (what Boot sets by
 * itself on Kubernetes).
 */
class MeshrpcReadinessTest {

    @RpcEndpoint(topic = "slow")
    static class Slow {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public void work(String id) throws InterruptedException {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Slow slow() {
            return new Slow();
        }
    }

    private static ConfigurableApplicationContext app(InMemoryMatchmaker shared, String nodeId, String... properties) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("meshrpcMatchmaker", shared))
                .properties("meshrpc.node-id=" + nodeId, "meshrpc.zmq.port=0", "meshrpc.zmq.bind-host=127.0.0.1",
                        "spring.main.banner-mode=off", "management.endpoint.health.probes.enabled=true",
                        "meshrpc.server.drain-timeout=30s")
                .properties(properties)
                .run();
    }

    @Test
    void readinessGroupIncludesTheNodeByDefaultAndLivenessDoesNot() {
        try (ConfigurableApplicationContext ctx = app(new InMemoryMatchmaker(), "r1")) {
            HealthEndpointGroups groups = ctx.getBean(HealthEndpointGroups.class);

            assertThat(groups.get("readiness").isMember(MeshrpcReadinessGroupPostProcessor.MEMBER)).isTrue();
            assertThat(groups.get("readiness").isMember("readinessState")).as("Boot's own member stays").isTrue();
            assertThat(groups.get("liveness").isMember(MeshrpcReadinessGroupPostProcessor.MEMBER)).isFalse();
            assertThat(groups.get("liveness").isMember("meshrpc")).isFalse();
            HealthEndpoint health = ctx.getBean(HealthEndpoint.class);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath(MeshrpcReadinessGroupPostProcessor.MEMBER).getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aReadinessGroupTheApplicationConfiguresIsLeftAsItIs() {
        try (ConfigurableApplicationContext ctx = app(new InMemoryMatchmaker(), "r2",
                "management.endpoint.health.group.readiness.include=readinessState")) {
            HealthEndpointGroups groups = ctx.getBean(HealthEndpointGroups.class);

            assertThat(groups.get("readiness").isMember(MeshrpcReadinessGroupPostProcessor.MEMBER)).isFalse();
            assertThat(ctx.getBean(MeshrpcReadinessHealthIndicator.class)).isNotNull();
        }
    }

    @Test
    void turningTheIndicatorOffTakesItOutOfTheGroup() {
        try (ConfigurableApplicationContext ctx = app(new InMemoryMatchmaker(), "r3",
                "management.health.meshrpc-readiness.enabled=false")) {
            assertThat(ctx.getBeansOfType(MeshrpcReadinessHealthIndicator.class)).isEmpty();
            assertThat(ctx.getBean(HealthEndpointGroups.class).get("readiness")
                    .isMember(MeshrpcReadinessGroupPostProcessor.MEMBER)).isFalse();
            assertThat(ctx.getBean(HealthEndpoint.class).healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void readinessIsOutOfServiceWhileTheNodeDrains() throws Exception {
        InMemoryMatchmaker shared = new InMemoryMatchmaker();
        ConfigurableApplicationContext server = app(shared, "slow-1");
        Slow slow = server.getBean(Slow.class);
        try (ConfigurableApplicationContext client = app(shared, "api-1")) {
            HealthEndpoint health = server.getBean(HealthEndpoint.class);
            MeshrpcReadinessHealthIndicator readiness = server.getBean(MeshrpcReadinessHealthIndicator.class);
            ApplicationAvailability availability = server.getBean(ApplicationAvailability.class);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            client.getBean(RpcClient.class).cast(Target.topic("slow").server("slow-1"), "work", "job-1")
                    .get(10, TimeUnit.SECONDS);
            assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            MeshNode node = server.getBean(MeshNode.class);
            try {
                Awaitility.await().until(() -> node.state() == MeshNode.State.DRAINING);

                assertThat(availability.getReadinessState()).as("published by the node's lifecycle")
                        .isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
                Health nodeReadiness = readiness.health(true);
                assertThat(nodeReadiness.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                assertThat(String.valueOf(nodeReadiness.getDetails().get("reason"))).contains("draining");
                assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
                assertThat(closing).isNotDone();
            } finally {
                slow.release.countDown();
            }
            closing.get(30, TimeUnit.SECONDS);
            assertThat(shared.node("slow-1")).isEmpty();
        } finally {
            slow.release.countDown();
            server.close();
        }
    }
}
