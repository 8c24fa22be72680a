package io.meshrpc.it;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.meshrpc.testsupport.EmbeddedQpid;

/** The broker transport against a real Apache Qpid Broker-J, started in this JVM. */
class QpidBrokerTransportTest extends BrokerTransportContract {

    @RegisterExtension
    static final EmbeddedQpid broker = new EmbeddedQpid();

    @Override
    String host() {
        return "127.0.0.1";
    }

    @Override
    int port() {
        return broker.port();
    }

    @Override
    String prefix() {
        return "";
    }
}
