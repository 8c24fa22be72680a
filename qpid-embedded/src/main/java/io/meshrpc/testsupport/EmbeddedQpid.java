package io.meshrpc.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.meshrpc.qpid.EmbeddedQpidBroker;

/**
 * An embedded Qpid Broker-J for one test class: started before its first test, stopped after its
 * last. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedQpid broker = new EmbeddedQpid();
 * }</pre>
 */
public final class EmbeddedQpid implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedQpidBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedQpidBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The AMQP port the broker listens on, at 127.0.0.1. */
    public int port() {
        if (broker == null) {
            throw new IllegalStateException("The embedded broker runs only between beforeAll and afterAll");
        }
        return broker.port();
    }
}
