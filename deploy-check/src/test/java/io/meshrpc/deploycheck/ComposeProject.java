package io.meshrpc.deploycheck;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One project of the repository's docker-compose.yml, run for real under a name and host ports of its own
 * (so it never collides with a demo or another project), with every command's output appended to a log.
 */
final class ComposeProject implements AutoCloseable {

    /** The host-port settings of the compose file, each given a free port here. */
    static final List<String> PORT_SETTINGS = List.of("MESHRPC_GATEWAY_PORT", "MESHRPC_MATCHMAKER_PORT",
            "MESHRPC_SCHEDULER1_PORT", "MESHRPC_SCHEDULER2_PORT", "MESHRPC_CONSOLEAUTH_PORT",
            "MESHRPC_RABBITMQ_UI_PORT", "MESHRPC_PROMETHEUS_PORT", "MESHRPC_JAEGER_UI_PORT");

    /** A finished command. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private final String docker;
    private final String name = "meshrpc-smoke-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Path log;

    ComposeProject(String docker, Path log) {
        this.docker = docker;
        this.log = log;
        for (String setting : PORT_SETTINGS) {
            environment.put(setting, Integer.toString(freePort()));
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    int port(String setting) {
        return Integer.parseInt(environment.get(setting));
    }

    /** {@code docker compose -p <name> <args>}, in the repository, with the project's ports in the environment. */
    Result compose(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(docker, "compose", "-f", Repo.file(Compose.FILE).toString(),
                "-p", name));
        command.addAll(List.of(args));
        return run(command, timeout);
    }

    /** {@code docker <args>}. */
    Result docker(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(docker));
        command.addAll(List.of(args));
        return run(command, timeout);
    }

    /** The ids of the running containers of one service, in creation order. */
    List<String> containers(String service) {
        Result r = compose(Duration.ofSeconds(30), "ps", "-q", service);
        return r.output().lines().map(String::strip).filter(l -> l.matches("[0-9a-f]{12,64}")).toList();
    }

    private Result run(List<String> command, Duration timeout) {
        try {
            File output = Files.createTempFile("compose", ".out").toFile();
            ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(output);
            builder.environment().putAll(environment);
            Instant started = Instant.now();
            Process process = builder.start();
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(output.toPath(), StandardCharsets.UTF_8);
            Files.delete(output.toPath());
            Files.writeString(log, "$ " + String.join(" ", command) + "   # " + started + ", "
                    + Duration.between(started, Instant.now()).toSeconds() + " s\n" + text
                    + (done ? "" : "(timed out after " + timeout.toSeconds() + " s)\n"), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return new Result(done ? process.exitValue() : -1, text);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Saves every container's log next to the command log, then removes the project, its volumes and its network. */
    @Override
    public void close() {
        compose(Duration.ofMinutes(1), "logs", "--no-color", "--timestamps");
        compose(Duration.ofMinutes(2), "down", "-v", "--remove-orphans", "--timeout", "5");
    }

    static Optional<String> dockerOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
