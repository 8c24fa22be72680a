package io.meshrpc.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code matchmaker-service} in a JVM of its own, for the fleet scenarios: the simulator's
 * thousands of connections and its CPU stay out of the service's process, so that the service's
 * CPU ({@code /proc/<pid>/stat}), heap and file descriptors are its own.
 *
 * <p>Started as {@code java -Xmx4g -cp <the benchmark's class path> MatchmakerApplication} with a
 * free port on 127.0.0.1, the in-memory store, and Tomcat's limits raised for tens of thousands of
 * kept-alive connections. {@code BENCH_MATCHMAKER_JVM_OPTS} (or {@code -Dbench.matchmaker.jvm=...}) replaces
 * the JVM options;
 * {@code -Dbench.matchmaker.classpath=...} goes in front of the class path (for instance
 * {@code matchmaker-service/target/classes} to run a service built since the benchmark). Its
 * output goes to a temporary log file, kept (and named) when something fails.
 */
final class MatchmakerProcess implements AutoCloseable {

    static final String MAIN_CLASS = "io.meshrpc.matchmaker.service.MatchmakerApplication";
    /**
     * A heap cap with room for 20,000 waiting watches: each holds a Tomcat connection with its request,
     * about 100 KB of buffers (measured), so -Xmx1g ran out at about 9,700 watchers.
     */
    static final String DEFAULT_JVM_OPTIONS = "-Xmx4g";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread reaper;

    private MatchmakerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.reaper = new Thread(process::destroyForcibly, "matchmaker-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts the service and waits until {@code /actuator/health} answers 200. */
    static MatchmakerProcess start(String label) throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("matchmaker-" + label + "-", ".log");
        List<String> command = command(port);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        long startedAt = System.nanoTime();
        MatchmakerProcess service = new MatchmakerProcess(builder.start(), port, log);
        try {
            service.awaitHealthy();
        } catch (IOException | RuntimeException | InterruptedException ex) {
            service.close(false);
            throw ex;
        }
        Progress.say("%s: matchmaker-service started in its own JVM (pid %d, port %d, %s) in %.1f s; its log: %s",
                label, service.pid(), port, jvmOptions(), (System.nanoTime() - startedAt) / 1e9, log);
        return service;
    }

    /** {@code BENCH_MATCHMAKER_JVM_OPTS} (environment), else {@code -Dbench.matchmaker.jvm}, else the default. */
    static String jvmOptions() {
        String env = System.getenv("BENCH_MATCHMAKER_JVM_OPTS");
        return env != null && !env.isBlank() ? env.trim()
                : System.getProperty("bench.matchmaker.jvm", DEFAULT_JVM_OPTIONS).trim();
    }

    static List<String> command(int port) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = jvmOptions();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        String prefix = System.getProperty("bench.matchmaker.classpath", "").trim();
        String classPath = System.getProperty("java.class.path");
        command.add("-cp");
        command.add(prefix.isEmpty() ? classPath : prefix + File.pathSeparator + classPath);
        command.add(MAIN_CLASS);
        command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--meshrpc.enabled=false", "--meshrpc.matchmaker.store=memory",
                "--server.tomcat.max-connections=30000", "--server.tomcat.threads.max=200",
                "--server.tomcat.accept-count=1000",
                "--spring.main.banner-mode=off", "--logging.level.root=warn"));
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("matchmaker-service exited with " + process.exitValue()
                        + " during start-up; its log " + log + " ends with: " + tail(15));
            }
            try {
                HttpResponse<String> health = get("/actuator/health");
                if (health.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + health.statusCode();
            } catch (IOException ex) {
                last = ex.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("matchmaker-service not healthy within " + START_TIMEOUT.toSeconds()
                + " s (" + last + "); its log " + log + " ends with: " + tail(15));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** CPU time the service used so far (user + system, every thread), in nanoseconds; -1 if unknown. */
    long cpuNanos() {
        return ProcStat.cpuNanos(process.pid());
    }

    /** File descriptors the service holds now, or -1. */
    int openFiles() {
        String[] fds = new File("/proc/" + process.pid() + "/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Heap in use now ({@code jvm.memory.used}, area heap, from the actuator), in MB; NaN if it cannot tell. */
    double heapUsedMb() {
        try {
            HttpResponse<String> metric = get("/actuator/metrics/jvm.memory.used?tag=area:heap");
            Matcher m = VALUE.matcher(metric.body());
            return metric.statusCode() == 200 && m.find() ? Double.parseDouble(m.group(1)) / (1 << 20) : Double.NaN;
        } catch (IOException | NumberFormatException ex) {
            return Double.NaN;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** Runs a full GC in the service ({@code jcmd <pid> GC.run}); whether it worked. */
    boolean fullGc() {
        return jcmd("GC.run") != null;
    }

    /** Runs {@code jcmd <pid> <command...>} against the service; its output, or {@code null} if it failed. */
    String jcmd(String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return null;
        }
        List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(process.pid())));
        line.addAll(List.of(command));
        Path out = null;
        try {
            out = Files.createTempFile("jcmd-", ".txt");
            Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8) : null;
        } catch (IOException ex) {
            return null;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    /** The last {@code lines} lines of the service's log, on one line. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException ex) {
            return "(log unreadable: " + ex + ")";
        }
    }

    @Override
    public void close() {
        close(true);
    }

    /** Stops the service; deletes its log when {@code deleteLog} and the run went well. */
    void close(boolean deleteLog) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        if (deleteLog) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
