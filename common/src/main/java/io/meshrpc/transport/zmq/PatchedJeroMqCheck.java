package io.meshrpc.transport.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Whether the JeroMQ an application runs is meshrpc's (module jeromq-patched, decision 28): one
 * {@code zmq/Signaler.class} on the class path, from the jar that carries
 * {@value #MARKER}.
 *
 * <p>Why at run time: meshrpc's build bans upstream {@code org.zeromq:jeromq}, but an application
 * that also depends on it (directly, or through another library) puts a second copy of every JeroMQ
 * class on its class path, and whichever comes first wins. Everything still works with the
 * upstream class; calls just stall for a scheduler tick now and then. A warning at start-up is the
 * only way that application learns why.
 */
final class PatchedJeroMqCheck {

    static final String SIGNALER = "zmq/Signaler.class";
    static final String MARKER = "META-INF/meshrpc-jeromq.properties";

    private PatchedJeroMqCheck() {
    }

    /** What is wrong with the JeroMQ that {@code loader} sees, or empty when it is meshrpc's. */
    static Optional<String> problem(ClassLoader loader) {
        List<URL> signalers;
        try {
            signalers = Collections.list(loader.getResources(SIGNALER));
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot list " + SIGNALER + " on the class path", ex);
        }
        if (signalers.isEmpty()) {
            return Optional.empty(); // a class loader that does not list its resources: nothing to judge
        }
        URL marker = loader.getResource(MARKER);
        if (marker == null) {
            return Optional.of("JeroMQ on the class path is not io.meshrpc:meshrpc-jeromq (no " + MARKER
                    + "); calls may stall for a scheduler tick (docs/decisions.md, 28): " + signalers.get(0));
        }
        String patched = root(marker, MARKER);
        if (!root(signalers.get(0), SIGNALER).equals(patched)) {
            return Optional.of("another JeroMQ comes before io.meshrpc:meshrpc-jeromq on the class path, so its "
                    + "unpatched zmq.Signaler is the one used and calls may stall for a scheduler tick "
                    + "(docs/decisions.md, 28); exclude org.zeromq:jeromq from the dependency that brings it: "
                    + signalers.get(0));
        }
        if (signalers.size() > 1) {
            return Optional.of(signalers.size() + " copies of " + SIGNALER + " on the class path; meshrpc's comes "
                    + "first now, but exclude org.zeromq:jeromq from the dependency that brings the others: "
                    + signalers.subList(1, signalers.size()));
        }
        return Optional.empty();
    }

    private static String root(URL resource, String name) {
        String url = resource.toExternalForm();
        return url.substring(0, url.length() - name.length());
    }
}
