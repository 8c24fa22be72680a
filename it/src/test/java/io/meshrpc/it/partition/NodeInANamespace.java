package io.meshrpc.it.partition;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.RestMatchmakerSettings;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * A compute node run in a network namespace by {@link PartitionTest}, with the default bounds (ACK
 * timeout, registration TTL, AMQP heartbeat and recovery): its ZeroMQ receiver on the namespace's
 * address, the matchmaker and the broker on the host's. It tells the test what happens on standard
 * output, which no partition of the network touches: {@code @@ STATE <state>} whenever its state
 * changes (readiness is UP only in {@code RUNNING}), {@code @@ HANDLED <id>} for every build it handles.
 *
 * <p>Arguments: node id, the namespace's address, the host's address, the matchmaker's port, the
 * broker's port.
 */
public final class NodeInANamespace {

    static final String PREFIX = "@@ ";

    private NodeInANamespace() {
    }

    public static void main(String[] args) throws InterruptedException {
        String nodeId = args[0];
        String nsAddress = args[1];
        String hostAddress = args[2];
        RestMatchmaker matchmaker = new RestMatchmaker(RestMatchmakerSettings.of(
                "http://" + hostAddress + ":" + args[3], null, RestMatchmakerSettings.DEFAULT_TTL),
                JsonMapper.builder().build());
        CachingConnectionFactory connections = new CachingConnectionFactory(hostAddress, Integer.parseInt(args[4]));
        MeshNode node = MeshNode.builder().nodeId(nodeId).matchmaker(matchmaker).endpoints(new Builds())
                .zmq(ZmqSettings.builder().bindHost(nsAddress).advertiseHost(nsAddress).port(0).build())
                .amqp(connections, AmqpSettings.defaults(""))
                .routing(RoutingSettings.of(DeliveryPolicy.ZMQ_FIRST))
                .build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
        MeshNode.State last = null;
        while (true) {
            MeshNode.State state = node.state();
            if (state != last) {
                say("STATE " + state);
                last = state;
            }
            Thread.sleep(50);
        }
    }

    static void say(String line) {
        synchronized (System.out) {
            System.out.println(PREFIX + line);
            System.out.flush();
        }
    }

    /** Counts nothing itself: every handled build is a line the test counts. */
    @RpcEndpoint(topic = "compute")
    public static final class Builds {
        public void buildInstance(String id) {
            say("HANDLED " + id);
        }

        public String host() {
            return "in a namespace";
        }
    }
}
