package io.meshrpc.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What the launcher tells each node about the network: where to listen, and what to give out. */
class NodeArgsTest {

    private static final BrokerChoice QPID = new BrokerChoice(BrokerChoice.QPID, "10.0.0.5", 5673, "guest", "guest");

    @Test
    void nodesListenWhereTheClusterBindsAndGiveOutTheAdvertisedAddress() {
        List<String> args = new Cluster.NodeArgs(QPID, "zmq-first", 8500, 8, 1024, new Network("0.0.0.0", "10.0.0.5"))
                .forNode("compute-1", ServiceKind.COMPUTE, 8101, 9601);

        assertThat(args).contains("--meshrpc.zmq.bind-host=0.0.0.0", "--meshrpc.zmq.advertise-host=10.0.0.5",
                "--meshrpc.matchmaker.url=http://10.0.0.5:8500", "--spring.rabbitmq.host=10.0.0.5");
    }

    @Test
    void byDefaultEverythingStaysOnLoopback() {
        BrokerChoice local = new BrokerChoice(BrokerChoice.QPID, "127.0.0.1", 5673, "guest", "guest");
        List<String> args = new Cluster.NodeArgs(local, "zmq-first", 8500, 8, 1024, Network.loopback())
                .forNode("gateway-1", ServiceKind.GATEWAY, 8080, 9501);

        assertThat(args).contains("--meshrpc.zmq.bind-host=127.0.0.1", "--meshrpc.zmq.advertise-host=127.0.0.1",
                "--meshrpc.matchmaker.url=http://127.0.0.1:8500");
    }
}
