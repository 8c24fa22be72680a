package io.meshrpc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.http.Http;
import io.meshrpc.launcher.ops.Migration;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/demo migrate} on the run's demo cluster ({@link SharedDemoCluster}, after the end-to-end and the
 * browser tests): each step waits until its policy is in force at the senders, so step 0 ("every node on amqp")
 * carries nothing over ZeroMQ and the last step, every node on {@code zmq-first}, nothing over the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedDemoCluster.class)
@Order(3) // last on the shared cluster: migrate sets every policy (this class removes them afterwards)
class MigrationEndToEndTest {

    private static final int INSTANCES_PER_STEP = 4;

    private final Http http = new Http(Duration.ofSeconds(10));
    private ClusterState state;

    @BeforeAll
    void useTheSharedCluster(SharedDemoCluster.Handle shared) {
        state = shared.state();
    }

    /** The overrides migrate leaves (every topic zmq-first) would steer whatever runs next on the cluster. */
    @AfterAll
    void removeTheOverrides() throws IOException {
        if (state == null) {
            return;
        }
        String policies = state.matchmaker().baseUrl() + "/api/v1/policies";
        for (String topic : List.of("scheduler", "consoleauth", "gateway", "compute")) {
            http.delete(policies + "/topics/" + topic);
        }
        for (ServiceProcess node : state.meshNodes()) {
            http.delete(policies + "/nodes/" + node.name());
        }
    }

    @Test
    void eachStepCarriesItsOwnPolicysTrafficFromTheBrokerOnlyToZeroMqOnly() {
        // an agent killed by an earlier test stays in the matchmaker until its TTL: nothing routes to it by then
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> registeredAgents().equals(liveAgents()));

        List<Migration.Step> steps = new Migration(new Out(System.err, System.out)).run(state, INSTANCES_PER_STEP);

        assertThat(steps).hasSize(2 + liveAgents().size());
        assertThat(steps).allSatisfy(step -> assertThat(step.inForce().senders()).as(step.description()).isPositive());
        Migration.Step first = steps.get(0);
        assertThat(first.counts().zmq()).as("step 0: %s", first.counts().shares()).isZero();
        assertThat(first.counts().amqp()).isPositive();
        Migration.Step last = steps.get(steps.size() - 1);
        assertThat(last.counts().amqp()).as("last step: %s", last.counts().shares()).isZero();
        assertThat(last.counts().zmq()).isPositive();
    }

    private Set<String> registeredAgents() throws IOException {
        Set<String> registered = new HashSet<>();
        for (JsonNode node : http.get(state.matchmaker().baseUrl() + "/api/v1/topics/compute").body().path("nodes")) {
            registered.add(node.path("nodeId").asString());
        }
        return registered;
    }

    private Set<String> liveAgents() {
        return state.of(ServiceKind.COMPUTE).stream().filter(ServiceProcess::alive).map(ServiceProcess::name)
                .collect(Collectors.toSet());
    }
}
