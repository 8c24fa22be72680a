package io.meshrpc.transport.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * meshrpc runs on JeroMQ with {@code zmq.Signaler} replaced (module jeromq-patched, decision 28).
 * Whoever loads JeroMQ classes must get that one: an upstream jeromq jar earlier on the class path
 * would bring the unpatched class back, and with it the 4 ms stalls, without failing anything else.
 * This build must have only the patched one, and a node must say so when an application's class
 * path does not.
 */
class PatchedJeroMqTest {

    private final ClassLoader appLoader = getClass().getClassLoader();

    @TempDir
    Path upstream;

    /** Stands for an upstream jeromq jar: a {@code zmq/Signaler.class} without meshrpc's marker. */
    @BeforeEach
    void upstreamSignaler() throws IOException {
        Files.createDirectories(upstream.resolve("zmq"));
        Files.write(upstream.resolve(PatchedJeroMqCheck.SIGNALER), new byte[] {(byte) 0xCA, (byte) 0xFE});
    }

    @Test
    void thisBuildRunsOnlyThePatchedJeroMq() {
        assertThat(PatchedJeroMqCheck.problem(appLoader)).isEmpty();
    }

    @Test
    void theMarkerNamesTheReplacedClassAndTheJeroMqVersion() throws IOException {
        Properties marker = new Properties();
        try (InputStream in = appLoader.getResourceAsStream(PatchedJeroMqCheck.MARKER)) {
            marker.load(in);
        }

        assertThat(marker.getProperty("replaced").split(",")).containsExactlyInAnyOrder("zmq.Signaler", "zmq.Options",
                "zmq.io.StreamEngine", "zmq.io.net.tcp.TcpListener", "zmq.io.mechanism.curve.Curve");
        assertThat(marker.getProperty("jeromq.version")).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void anUpstreamJeroMqAheadOfThePatchedOneIsReported() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {upstream.toUri().toURL(), patchedRoot()}, null)) {
            assertThat(PatchedJeroMqCheck.problem(loader)).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("another JeroMQ comes before io.meshrpc:meshrpc-jeromq")
                    .contains(upstream.toString()));
        }
    }

    @Test
    void anUpstreamJeroMqBehindThePatchedOneIsReportedAsACopy() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {patchedRoot(), upstream.toUri().toURL()}, null)) {
            assertThat(PatchedJeroMqCheck.problem(loader)).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("2 copies of zmq/Signaler.class")
                    .contains("exclude org.zeromq:jeromq"));
        }
    }

    @Test
    void onlyAnUpstreamJeroMqIsReported() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {upstream.toUri().toURL()}, null)) {
            assertThat(PatchedJeroMqCheck.problem(loader)).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("JeroMQ on the class path is not io.meshrpc:meshrpc-jeromq"));
        }
    }

    /** The directory or jar that meshrpc-jeromq's marker (and so its Signaler) comes from. */
    private URL patchedRoot() throws IOException {
        String url = appLoader.getResource(PatchedJeroMqCheck.MARKER).toExternalForm();
        String root = url.substring(0, url.length() - PatchedJeroMqCheck.MARKER.length());
        if (root.startsWith("jar:")) {
            root = root.substring("jar:".length(), root.length() - "!/".length());
        }
        return new URL(root);
    }
}
