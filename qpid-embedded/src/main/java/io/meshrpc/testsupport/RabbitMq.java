package io.meshrpc.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;

/** Where the machine's RabbitMQ is, for tests (guest/guest, as on CI). */
public final class RabbitMq {

    private RabbitMq() {
    }

    /** {@code host:port} of the RabbitMQ tests use. */
    public static String address() {
        String configured = System.getenv("MESHRPC_RABBITMQ");
        return configured == null || configured.isBlank() ? "127.0.0.1:5672" : configured;
    }

    public static String host() {
        return address().substring(0, address().lastIndexOf(':'));
    }

    public static int port() {
        return Integer.parseInt(address().substring(address().lastIndexOf(':') + 1));
    }

    /** Whether something accepts connections there (checked with a plain TCP connect). */
    public static boolean available() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port()), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    /** A name prefix unique to one test run, so runs sharing the broker never see each other. */
    public static String uniquePrefix() {
        return "meshrpc-test-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }
}
