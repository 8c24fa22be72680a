package io.meshrpc.transport.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * meshrpc runs on JeroMQ with {@code zmq.Signaler} replaced (module jeromq-patched, decision 28).
 * Whoever loads JeroMQ classes must get that one: an upstream jeromq jar on the classpath would
 * bring the unpatched class back, and with it the 4 ms stalls, without failing anything else.
 */
class PatchedJeroMqTest {

    private static final String SIGNALER = "zmq/Signaler.class";
    private static final String MARKER = "META-INF/meshrpc-jeromq.properties";

    @Test
    void theOnlySignalerOnTheClasspathIsThePatchedOne() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        List<URL> signalers = Collections.list(loader.getResources(SIGNALER));
        URL marker = loader.getResource(MARKER);

        assertThat(signalers).as("copies of zmq.Signaler on the classpath").hasSize(1);
        assertThat(marker).as(MARKER + " of meshrpc-jeromq").isNotNull();
        assertThat(root(signalers.get(0), SIGNALER)).as("where zmq.Signaler comes from")
                .isEqualTo(root(marker, MARKER));
    }

    @Test
    void theMarkerNamesTheReplacedClassAndTheJeroMqVersion() throws IOException {
        Properties marker = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(MARKER)) {
            marker.load(in);
        }

        assertThat(marker.getProperty("replaced")).isEqualTo("zmq.Signaler");
        assertThat(marker.getProperty("jeromq.version")).matches("\\d+\\.\\d+\\.\\d+");
    }

    private static String root(URL resource, String name) {
        String url = resource.toExternalForm();
        return url.substring(0, url.length() - name.length());
    }
}
