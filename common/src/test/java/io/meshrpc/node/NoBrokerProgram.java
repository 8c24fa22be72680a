package io.meshrpc.node;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * A program that uses meshrpc over ZeroMQ alone, run by {@link WithoutBrokerClassesTest} in a class
 * loader that has no Spring AMQP and no RabbitMQ client.
 */
public final class NoBrokerProgram {

    private NoBrokerProgram() {
    }

    @RpcEndpoint(topic = "echo")
    public static final class Echo {
        public String echo(String text) {
            return "echo:" + text;
        }
    }

    /** Two nodes on loopback, one call between them; returns its result. */
    public static String callOnce() throws Exception {
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        try (MeshNode server = MeshNode.builder().nodeId("server").matchmaker(matchmaker)
                .zmq(ZmqSettings.loopback(0)).endpoints(new Echo()).build().start();
             MeshNode caller = MeshNode.builder().nodeId("caller").matchmaker(matchmaker)
                     .zmq(ZmqSettings.loopback(0)).build().start()) {
            String reply = caller.client().call(Target.topic("echo").server(server.nodeId()), "echo", "hi",
                    String.class, Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            return reply + " " + caller.report().transports().get("amqp");
        }
    }
}
