package io.meshrpc.qpid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;

/**
 * A real Apache Qpid Broker-J, started inside this JVM, speaking AMQP 0-9-1 on loopback.
 *
 * <p>It is the broker the tests and the demo use when no RabbitMQ is configured: a real broker from
 * Maven Central rather than a fake, so the broker transport is exercised against its actual
 * behaviour (no direct reply-to, a nack after a return, connections closed on RabbitMQ-only queue
 * arguments). It keeps everything in memory, and an outage test can stop it and start a new one on
 * the same port.
 */
public final class EmbeddedQpidBroker implements AutoCloseable {

    /** Credentials of the broker's single user; the same as RabbitMQ's defaults. */
    public static final String USER = "guest";
    public static final String PASSWORD = "guest";

    private static final String INITIAL_CONFIG = "meshrpc-qpid-initial-config.json";

    private static final String LOOPBACK = "127.0.0.1";

    private final String bindAddress;
    private final int requestedPort;
    private final Path persistentDir;
    private SystemLauncher launcher;
    private volatile SystemConfig<?> systemConfig;
    private Path workDir;
    private int port;

    private EmbeddedQpidBroker(String bindAddress, int requestedPort, Path persistentDir) {
        this.bindAddress = bindAddress;
        this.requestedPort = requestedPort;
        this.persistentDir = persistentDir;
    }

    /** Starts a broker on a free loopback port. */
    public static EmbeddedQpidBroker start() {
        return start(0);
    }

    /** Starts a broker on {@code port} of 127.0.0.1 (0 for a free one); returns once it accepts connections. */
    public static EmbeddedQpidBroker start(int port) {
        return start(LOOPBACK, port);
    }

    /**
     * Starts a broker listening on {@code bindAddress} ({@code 0.0.0.0} for every interface) and
     * {@code port} (0 for a free one), so that nodes on other hosts or in other network namespaces
     * reach it; returns once it accepts connections.
     */
    public static EmbeddedQpidBroker start(String bindAddress, int port) {
        EmbeddedQpidBroker broker = new EmbeddedQpidBroker(bindAddress, port, null);
        broker.launch();
        return broker;
    }

    /**
     * Starts a broker that keeps its queues and persistent messages in {@code storeDir} (Apache
     * Derby), so that a broker started again on the same directory — an outage and a restart —
     * still holds what it had confirmed. The directory is left in place on {@link #close()}.
     */
    public static EmbeddedQpidBroker startPersistent(int port, Path storeDir) {
        EmbeddedQpidBroker broker = new EmbeddedQpidBroker(LOOPBACK, port, storeDir);
        broker.launch();
        return broker;
    }

    private void launch() {
        try {
            workDir = persistentDir != null ? Files.createDirectories(persistentDir)
                    : Files.createTempDirectory("meshrpc-qpid-");
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the broker's work directory", ex);
        }
        Map<String, String> context = new HashMap<>();
        context.put("qpid.work_dir", workDir.toString());
        context.put("qpid.home_dir", workDir.toString());
        context.put("meshrpc.qpid.port", Integer.toString(requestedPort));
        context.put("meshrpc.qpid.bind", bindAddress);
        context.put("meshrpc.qpid.user", USER);
        context.put("meshrpc.qpid.password", PASSWORD);
        context.put("derby.stream.error.file", workDir.resolve("derby.log").toString());
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation", initialConfig(persistentDir != null ? "DERBY" : "Memory"));
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", context);
        launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                systemConfig = config;
            }
        });
        try {
            launcher.startup(attributes);
        } catch (Exception ex) {
            deleteWorkDir();
            throw new IllegalStateException("Qpid Broker-J did not start: " + ex.getMessage(), ex);
        }
        port = boundPort();
    }

    /**
     * The initial configuration with the virtual host's store type filled in. Qpid does not
     * interpolate context variables in a type, so the file is written out per start.
     */
    private String initialConfig(String storeType) {
        try (var in = EmbeddedQpidBroker.class.getClassLoader().getResourceAsStream(INITIAL_CONFIG)) {
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("@STORE@", storeType);
            Path file = workDir.resolve("initial-config.json");
            Files.writeString(file, json);
            return file.toUri().toString();
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the broker's initial configuration", ex);
        }
    }

    private int boundPort() {
        Broker<?> broker = (Broker<?>) systemConfig.getContainer(Broker.class);
        for (Port<?> p : broker.getPorts()) {
            if ("AMQP".equals(p.getName())) {
                return p.getBoundPort();
            }
        }
        throw new IllegalStateException("Qpid Broker-J started without its AMQP port");
    }

    /** The port the broker's AMQP 0-9-1 listener is bound to. */
    public int port() {
        return port;
    }

    /** A {@code spring.rabbitmq.addresses} value for this broker, from this machine. */
    public String address() {
        return LOOPBACK + ":" + port;
    }

    /** Stops the broker: connections are closed; in-memory messages are gone, persistent ones stay. */
    @Override
    public synchronized void close() {
        if (launcher != null) {
            launcher.shutdown();
            launcher = null;
            deleteWorkDir();
        }
    }

    private void deleteWorkDir() {
        if (workDir == null || persistentDir != null) {
            return;
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ex) {
            // a temp directory left behind is harmless
        }
    }

    /**
     * Runs a broker until the process is stopped:
     * {@code java -cp ... io.meshrpc.qpid.EmbeddedQpidBroker [port [bind-address]]} (5672, 127.0.0.1).
     */
    public static void main(String[] args) throws InterruptedException {
        String bind = args.length > 1 ? args[1] : LOOPBACK;
        EmbeddedQpidBroker broker = start(bind, args.length > 0 ? Integer.parseInt(args[0]) : 5672);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println("Qpid Broker-J listening on amqp://" + USER + ":" + PASSWORD + "@" + bind + ":"
                + broker.port());
        Thread.currentThread().join();
    }
}
