package io.meshrpc.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.meshrpc.qpid.EmbeddedQpidBroker;

/** The broker transport against a real Apache Qpid Broker-J, started in this JVM. */
class QpidBrokerTransportTest extends BrokerTransportContract {

    private static EmbeddedQpidBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedQpidBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

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
