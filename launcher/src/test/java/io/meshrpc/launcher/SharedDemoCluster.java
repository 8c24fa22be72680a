package io.meshrpc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.meshrpc.launcher.cluster.Cluster;
import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.cluster.UpOptions;
import io.meshrpc.launcher.http.Http;
import tools.jackson.databind.JsonNode;

/**
 * One demo cluster for every test class of the run that needs one: starting it takes about a minute
 * on 2 cores, so the end-to-end test and the dashboard's browser test share it instead of starting two.
 *
 * <p>A test class asks for a {@link Handle} (a parameter of a {@code @BeforeAll} method or of the
 * constructor) and calls {@link Handle#state()} when it really needs the cluster: the first call
 * starts it (state in {@code launcher/target/e2e-demo/}, after stopping what an aborted earlier run
 * left there) and waits until both schedulers have heard from every agent, so that boots are accepted;
 * later calls return the same one. The handle lives in JUnit's root store, so the
 * cluster is stopped once, when the whole test run ends, also when a test failed. A class that skips
 * (no browser) before calling {@code state()} starts nothing.
 *
 * <p>The cluster: embedded Qpid Broker-J, matchmaker, two schedulers, consoleauth, gateway and five
 * agents of {@value #AGENT_VCPUS} vCPUs / 32 GiB each, default policy {@code zmq-first}.
 */
public final class SharedDemoCluster implements ParameterResolver {

    /** The repository (tests run in {@code launcher/}). */
    public static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    public static final Path STATE = ROOT.resolve("launcher/target/e2e-demo");
    public static final int AGENTS = 5;
    public static final int AGENT_VCPUS = 40;
    public static final int AGENT_RAM_MB = 32768;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Handle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedDemoCluster.class))
                .computeIfAbsent(Handle.class, k -> new Handle(), Handle.class);
    }

    /** The run's cluster, started on first use and stopped when the store closes at the end of the run. */
    public static final class Handle implements AutoCloseable {

        private final Cluster cluster = new Cluster(ROOT, STATE, new Out(System.err, System.out));
        private ClusterState state;
        private RuntimeException failure;

        /** The running cluster; starts it on the first call. A failed start is reported to every caller. */
        public synchronized ClusterState state() {
            if (failure != null) {
                throw new IllegalStateException("the shared demo cluster did not start", failure);
            }
            if (state == null) {
                try {
                    cluster.down(); // what an aborted earlier run may have left
                    state = cluster.up(UpOptions.defaults().withComputeAgents(AGENTS)
                            .withAgentCapacity(AGENT_VCPUS, AGENT_RAM_MB));
                    awaitSchedulersKnowEveryAgent(state);
                } catch (RuntimeException ex) {
                    failure = ex;
                    throw ex;
                }
            }
            return state;
        }

        /**
         * Healthy is not yet ready for boots: an agent reports its capacity every 2 s, and a scheduler
         * that has not heard from any agent yet refuses a boot ("no compute host has reported its
         * capacity"). Waits until every scheduler lists every agent as fresh.
         */
        private static void awaitSchedulersKnowEveryAgent(ClusterState state) {
            Http http = new Http(Duration.ofSeconds(5));
            Set<String> agents = state.of(ServiceKind.COMPUTE).stream().map(ServiceProcess::name)
                    .collect(Collectors.toSet());
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .untilAsserted(() -> {
                        for (ServiceProcess scheduler : state.of(ServiceKind.SCHEDULER)) {
                            Set<String> fresh = new HashSet<>();
                            for (JsonNode host : http.get(scheduler.baseUrl() + "/api/v1/hosts").body()) {
                                if (host.path("fresh").asBoolean()) {
                                    fresh.add(host.path("host").asString());
                                }
                            }
                            assertThat(fresh).as("agents " + scheduler.name() + " knows").containsAll(agents);
                        }
                    });
        }

        /** The launcher's view of it, to kill or stop one process. */
        public Cluster cluster() {
            return cluster;
        }

        @Override
        public synchronized void close() {
            if (state != null) {
                state = null;
                cluster.down();
            }
        }
    }
}
