package io.meshrpc.launcher.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.meshrpc.launcher.Demo;

/**
 * Starts one JVM per service, with flags that let a dozen of them share a small 2-core machine:
 * a small heap and thread stacks, the C1 compiler only (fast start, little CPU spent compiling),
 * the serial collector (no GC threads per process). Output goes to one log file per process.
 */
public final class ProcessStarter {

    /** JVM flags of every service (the broker gets a larger heap, see {@link #heapFor}). */
    public static final List<String> JVM_FLAGS = List.of("-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    private final Path root;
    private final Path logDir;
    private final Path jarDir;

    /**
     * @param root     the repository, whose {@code <module>/target/*-exec.jar} are started
     * @param stateDir where the logs ({@code logs/}) and the copies of the jars ({@code jars/}) go
     */
    public ProcessStarter(Path root, Path stateDir) {
        this.root = root;
        this.logDir = stateDir.resolve("logs");
        this.jarDir = stateDir.resolve("jars");
    }

    /**
     * Copies every service jar into the state folder; processes run from the copies, so a build
     * (say {@code ./mvnw verify}) that rewrites {@code target/} never pulls a jar from under a
     * running service.
     */
    public void snapshotJars() {
        try {
            Files.createDirectories(jarDir);
            for (ServiceKind kind : ServiceKind.values()) {
                if (kind.module() != null) {
                    Files.copy(findBuiltJar(kind), jarDir.resolve(kind.module() + ".jar"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot copy the service jars to " + jarDir, ex);
        }
    }

    /** Starts {@code name} of {@code kind} with these application arguments. */
    public ServiceProcess start(String name, ServiceKind kind, int httpPort, int zmqPort, List<String> appArgs) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("-Xmx" + heapFor(kind) + "m");
        command.addAll(JVM_FLAGS);
        command.addAll(kind == ServiceKind.BROKER ? selfInvocation() : List.of("-jar", jar(kind).toString()));
        command.addAll(appArgs);
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .directory(root.toFile())
                    .start();
            Instant started = process.toHandle().info().startInstant().orElse(null);
            return new ServiceProcess(name, kind, process.pid(), started, httpPort, zmqPort, log.toString());
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", command), ex);
        }
    }

    /** Whether every service jar is built. */
    public List<String> missingJars() {
        List<String> missing = new ArrayList<>();
        for (ServiceKind kind : ServiceKind.values()) {
            if (kind.module() != null && findJar(kind) == null) {
                missing.add(kind.module() + "/target/*-exec.jar");
            }
        }
        return missing;
    }

    Path jar(ServiceKind kind) {
        Path copy = jarDir.resolve(kind.module() + ".jar");
        return Files.exists(copy) ? copy : findBuiltJar(kind);
    }

    private Path findBuiltJar(ServiceKind kind) {
        Path jar = findJar(kind);
        if (jar == null) {
            throw new IllegalStateException("No runnable jar for " + kind.module() + " under "
                    + root.resolve(kind.module()).resolve("target") + ": build it first (bin/demo does:"
                    + " ./mvnw -q -DskipTests package -pl launcher -am)");
        }
        return jar;
    }

    private Path findJar(ServiceKind kind) {
        Path target = root.resolve(kind.module()).resolve("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified())).orElse(null);
        } catch (IOException ex) {
            return null;
        }
    }

    static int heapFor(ServiceKind kind) {
        return kind == ServiceKind.BROKER ? 256 : 160;
    }

    /**
     * How to run this launcher's own code in a new JVM (the broker runs from it): its jar when it
     * was started with {@code java -jar} (the jar's manifest carries the class path), else its
     * class path (in tests).
     */
    static List<String> selfInvocation() {
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            return List.of("-jar", Path.of(classPath).toAbsolutePath().toString());
        }
        return List.of("-cp", classPath, Demo.class.getName());
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
