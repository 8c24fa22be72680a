package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The meshrpc release before versions and namespaces, call monitoring, ping and notifications (commit
 * {@value #COMMIT}), taken from this checkout's own git history and built with its own wrapper, offline,
 * into {@code it/target/previous-release/<commit>} (never installed: this release's SNAPSHOTs in the local
 * repository stay as they are). A second run in the same checkout reuses that build.
 *
 * <p>One change is made to the old tree before it is built: its root pom imports the BouncyCastle BOM that
 * this release's root pom imports (be2c6a8). Without it Qpid Broker-J, a test-only dependency of the old
 * common module, asks for BouncyCastle 1.80, which this release's build never downloads, so the old build
 * would not resolve offline. No BouncyCastle jar is in the old services' jars either way: {@link #build()}
 * checks that, and that each jar it returns is the old one (its meshrpc-api has no {@code Ping}, its
 * meshrpc-common no notifications).
 *
 * <p>Without git, outside a git checkout, or in one without that commit (a shallow clone), the tests that
 * use it are skipped and say why; nothing stands in for the old release.
 */
final class PreviousRelease {

    /** The last commit before the fields the interop tests are about. */
    static final String COMMIT = "0e24cec";

    private static final List<String> SERVICES = List.of("scheduler-service", "gateway-service");
    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * The old services' runnable jars, by module, and what getting them cost.
     *
     * @param home   {@code it/target/previous-release/<commit>}: the old tree ({@code src}), its build's log and the
     *               services' logs
     * @param reused whether an earlier run's build was found and used
     */
    record Build(String commit, Path home, Map<String, Path> jars, Duration took, boolean reused) {

        /** Starts the old {@code service} with {@code args} (Spring Boot properties), its log in {@link #home}. */
        Service start(String service, String name, List<String> args) throws IOException {
            Path log = home.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-jar", jars.get(service).toString(), "--server.port=0", "--server.address=127.0.0.1"));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new Service(name, process, log);
        }
    }

    private PreviousRelease() {
    }

    /** Builds the old scheduler and gateway (or finds them built); skips the caller's tests when it cannot. */
    static Build build() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path moduleDir = Path.of("").toAbsolutePath();
        Run top = run(moduleDir, null, "git", "rev-parse", "--show-toplevel");
        Assumptions.assumeTrue(top.ok(), () -> "Not a git checkout with history (" + top.output().strip()
                + "): the previous release " + COMMIT + " cannot be taken from it; skipped, not faked");
        Path repo = Path.of(top.output().strip());
        Run sha = run(repo, null, "git", "rev-parse", "--verify", "--quiet", COMMIT + "^{commit}");
        Assumptions.assumeTrue(sha.ok(), () -> "Commit " + COMMIT + " (the previous release) is not in this checkout's"
                + " history (a shallow clone?); skipped, not faked");
        String commit = sha.output().strip();

        Path home = moduleDir.resolve("target/previous-release").resolve(commit);
        Path tree = home.resolve("src");
        Path done = home.resolve("built.ok");
        Map<String, Path> jars = new java.util.LinkedHashMap<>();
        for (String service : SERVICES) {
            jars.put(service, tree.resolve(service).resolve("target/meshrpc-" + service + "-0.1.0-SNAPSHOT-exec.jar"));
        }
        boolean reused = Files.exists(done) && jars.values().stream().allMatch(Files::isRegularFile);
        if (!reused) {
            deleteTree(home);
            Files.createDirectories(tree);
            Path archive = home.resolve("src.tar");
            Run exported = run(repo, null, "git", "archive", "--format=tar", "-o", archive.toString(), commit);
            assertThat(exported.ok()).as("git archive %s: %s", commit, exported.output()).isTrue();
            Run unpacked = run(tree, null, "tar", "-xf", archive.toString());
            assertThat(unpacked.ok()).as("tar -xf: %s", unpacked.output()).isTrue();
            Files.delete(archive);
            alignBouncyCastle(tree.resolve("pom.xml"));

            Path log = home.resolve("build.log");
            Run built = run(tree, log, "sh", tree.resolve("mvnw").toString(), "-B", "-o", "-q", "-Dmaven.test.skip=true",
                    "-pl", String.join(",", SERVICES), "-am", "package");
            if (!built.ok()) {
                String output = Files.readString(log);
                Assumptions.assumeFalse(output.contains("in offline mode and the artifact"), () -> "The previous release"
                        + " needs artifacts this machine's local repository does not have (the build is offline): "
                        + firstLine(output, "offline mode") + "; skipped, not faked");
                throw new AssertionError("Building the previous release " + COMMIT + " failed (" + log + "):\n"
                        + tail(output, 60));
            }
            Files.writeString(done, String.join("\n", jars.values().stream().map(Path::toString).toList()));
        }
        for (Path jar : jars.values()) {
            assertThat(entries(jar)).as("%s: nothing of the BOM added to the old tree", jar)
                    .noneMatch(name -> name.startsWith("BOOT-INF/lib/bc"));
            assertThat(nestedEntries(jar, "BOOT-INF/lib/meshrpc-api-0.1.0-SNAPSHOT.jar"))
                    .as("%s is the previous release's: its meshrpc-api has no Ping (added after it)", jar)
                    .contains("io/meshrpc/api/Target.class").doesNotContain("io/meshrpc/api/Ping.class");
            assertThat(nestedEntries(jar, "BOOT-INF/lib/meshrpc-common-0.1.0-SNAPSHOT.jar"))
                    .as("%s: its meshrpc-common is the previous release's (no notifications)", jar)
                    .contains("io/meshrpc/wire/EnvelopeCodec.class")
                    .noneMatch(name -> name.startsWith("io/meshrpc/internal/notify/"));
        }
        return new Build(commit, home, jars, Duration.ofNanos(System.nanoTime() - start), reused);
    }

    /** An old service in a process of its own, with its log in {@code target/previous-release/<commit>}. */
    static final class Service implements AutoCloseable {
        final String name;
        final Process process;
        final Path log;
        private volatile int httpPort;

        private Service(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        /** Waits until its web server is up and its mesh node reports {@code running}. */
        Service awaitRunning() {
            await(name + " starts").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(name + " ended with " + process.exitValue() + ":\n" + logTail());
                        }
                        if (httpPort == 0) {
                            Matcher m = HTTP_PORT.matcher(Files.readString(log));
                            if (!m.find()) {
                                return false;
                            }
                            httpPort = Integer.parseInt(m.group(1));
                        }
                        return "running".equals(report().path("state").asString(""));
                    });
            return this;
        }

        /** Its node's report, {@code GET /actuator/meshrpc} of that release. */
        JsonNode report() throws IOException, InterruptedException {
            return JSON.readTree(get("/actuator/meshrpc"));
        }

        /** Where its ZeroMQ receiver listens, as it reports it. */
        String zmqEndpoint() throws IOException, InterruptedException {
            return report().path("transports").path("zmq").path("endpoint").asString();
        }

        String get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        String post(String path, String json) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + path);
        }

        private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError(request.build().method() + " " + request.build().uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }

        String logTail() {
            try {
                return tail(Files.readString(log), 40);
            } catch (IOException ex) {
                return "(no log: " + ex.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void alignBouncyCastle(Path pom) throws IOException {
        String text = Files.readString(pom);
        String anchor = "  <dependencyManagement>\n    <dependencies>\n";
        assertThat(text).as("the old root pom's dependencyManagement").contains(anchor);
        Files.writeString(pom, text.replace(anchor, anchor
                + "      <!-- added by PreviousRelease: this release's BouncyCastle, so that the build resolves offline -->\n"
                + "      <dependency><groupId>org.bouncycastle</groupId><artifactId>bc-jdk18on-bom</artifactId>"
                + "<version>1.87</version><type>pom</type><scope>import</scope></dependency>\n"));
    }

    private record Run(boolean ok, String output) {
    }

    /** Runs a command in {@code dir}; its output goes to {@code log} when given, else it is returned. */
    private static Run run(Path dir, Path log, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        builder.environment().remove("MAVEN_BASEDIR");
        builder.environment().remove("GIT_DIR");
        builder.environment().remove("GIT_WORK_TREE");
        Process process;
        try {
            process = builder.redirectOutput(log == null ? ProcessBuilder.Redirect.PIPE
                    : ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException ex) {
            Assumptions.abort(command[0] + " cannot be run here (" + ex.getMessage() + "); the previous release "
                    + COMMIT + " is taken from git history with it; skipped, not faked");
            throw ex;
        }
        process.getOutputStream().close();
        String output = log == null ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        return new Run(process.waitFor() == 0, output);
    }

    private static List<String> entries(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static List<String> nestedEntries(Path jar, String nested) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarInputStream outer = new JarInputStream(Files.newInputStream(jar))) {
            for (JarEntry e = outer.getNextJarEntry(); e != null; e = outer.getNextJarEntry()) {
                if (e.getName().equals(nested)) {
                    JarInputStream inner = new JarInputStream(outer);
                    for (JarEntry i = inner.getNextJarEntry(); i != null; i = inner.getNextJarEntry()) {
                        names.add(i.getName());
                    }
                    return names;
                }
            }
        }
        throw new AssertionError(jar + " has no " + nested);
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String firstLine(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst().orElse("").strip();
    }
}
