package io.meshrpc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshrpc.launcher.cli.Args;
import io.meshrpc.launcher.cluster.BrokerChoice;
import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;

/**
 * {@code bin/demo} after nodes of a cluster died: {@code up}, {@code status} and {@code down} read the
 * recorded state alike. The "nodes" are real processes ({@code sleep}) recorded in a real state file, killed
 * as a crash would kill them; nothing of a real cluster is started.
 */
class DemoAfterACrashTest {

    @TempDir
    Path root;

    private final List<Process> started = new ArrayList<>();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final ByteArrayOutputStream results = new ByteArrayOutputStream();
    private Demo demo;
    private int closedPort;

    @BeforeEach
    void setUp() throws IOException {
        Out out = new Out(new PrintStream(progress, true, StandardCharsets.UTF_8),
                new PrintStream(results, true, StandardCharsets.UTF_8));
        demo = new Demo(out, root);
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens here afterwards: health reads "no answer"
        }
    }

    @AfterEach
    void tearDown() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void statusListsADeadClusterAsDeadAndUpStartsANewOneInItsPlace() throws Exception {
        ClusterState state = record("matchmaker", ServiceKind.MATCHMAKER, "gateway-1", ServiceKind.GATEWAY);
        killAll();

        assertThatThrownBy(() -> run("status")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is dead: none of its 2 processes runs");
        assertThat(results()).contains("matchmaker").contains("gateway-1").contains("EXITED");

        // up gets past the dead state: it stops only for want of built jars in this empty root
        assertThatThrownBy(() -> run("up")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Not built");
        assertThat(progress()).contains("is dead: none of its 2 processes runs; starting a new one in its place");
        assertThat(state.processes()).hasSize(2);
    }

    @Test
    void downClearsADeadClustersStateAndSaysSo() throws Exception {
        record("matchmaker", ServiceKind.MATCHMAKER, "compute-1", ServiceKind.COMPUTE);
        killAll();

        run("down");

        assertThat(progress()).contains("is dead: none of its 2 processes runs; cleared its state");
        assertThat(root.resolve(".demo").resolve(ClusterState.FILE)).doesNotExist();
        assertThatThrownBy(() -> run("status")).hasMessageStartingWith("No demo cluster is running");
    }

    @Test
    void aClusterWithOneDeadNodeIsStillRunningForUpStatusAndDown() throws Exception {
        record("matchmaker", ServiceKind.MATCHMAKER, "gateway-1", ServiceKind.GATEWAY, "compute-1",
                ServiceKind.COMPUTE);
        kill(2);

        assertThatThrownBy(() -> run("up")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("A demo cluster is already running")
                .hasMessageContaining("2 of 3 processes run: [matchmaker, gateway-1]");
        run("status");
        assertThat(results()).containsPattern("compute-1 +\\d+ +EXITED")
                .contains("gateway     http://127.0.0.1:" + closedPort + "/api/v1/servers");

        run("down");
        assertThat(progress()).contains("stopped 2 processes");
        assertThat(started).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
    }

    @Test
    void downWithNothingRecordedSaysWhereItLooked() {
        run("down");

        assertThat(progress()).contains("nothing to stop: no demo cluster is recorded in " + root.resolve(".demo"));
    }

    private void run(String command) {
        demo.run(command, Args.parse(new String[] {command}));
    }

    /** Starts one real process per (name, kind) pair and records them as a cluster's state file. */
    private ClusterState record(Object... namesAndKinds) throws IOException {
        Path stateDir = root.resolve(".demo");
        Files.createDirectories(stateDir.resolve("logs"));
        List<ServiceProcess> processes = new ArrayList<>();
        for (int i = 0; i < namesAndKinds.length; i += 2) {
            String name = (String) namesAndKinds[i];
            Process process = new ProcessBuilder("sleep", "300").start();
            started.add(process);
            ServiceKind kind = (ServiceKind) namesAndKinds[i + 1];
            processes.add(new ServiceProcess(name, kind, process.pid(),
                    process.toHandle().info().startInstant().orElse(null), closedPort, kind.meshNode() ? closedPort : 0,
                    stateDir.resolve("logs").resolve(name + ".log").toString()));
        }
        ClusterState state = new ClusterState(new BrokerChoice(BrokerChoice.RABBITMQ, "127.0.0.1", closedPort,
                "guest", "guest"), "zmq-first", 32, 65536, processes, null);
        state.write(stateDir);
        return state;
    }

    private void killAll() throws InterruptedException {
        for (int i = 0; i < started.size(); i++) {
            kill(i);
        }
    }

    private void kill(int index) throws InterruptedException {
        Process process = started.get(index);
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    private String progress() {
        return progress.toString(StandardCharsets.UTF_8);
    }

    private String results() {
        return results.toString(StandardCharsets.UTF_8);
    }
}
