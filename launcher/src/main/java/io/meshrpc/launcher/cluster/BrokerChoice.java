package io.meshrpc.launcher.cluster;

/**
 * The AMQP broker the nodes use.
 *
 * @param type     {@code qpid} (the embedded Qpid Broker-J the launcher starts) or {@code rabbitmq}
 *                 (one already running)
 * @param host     its host
 * @param port     its AMQP port
 * @param username user
 * @param password password
 */
public record BrokerChoice(String type, String host, int port, String username, String password) {

    public static final String QPID = "qpid";
    public static final String RABBITMQ = "rabbitmq";

    public boolean embedded() {
        return QPID.equals(type);
    }

    public String describe() {
        return "amqp://" + username + "@" + host + ":" + port + (embedded() ? " (embedded Qpid Broker-J)" : " (RabbitMQ)");
    }
}
