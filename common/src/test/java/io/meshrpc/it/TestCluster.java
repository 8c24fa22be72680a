package io.meshrpc.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * Real nodes on loopback, each with its own ZeroMQ context and port (as separate processes would
 * have), sharing one in-process directory. Closes every node it started.
 */
final class TestCluster implements RpcCluster {

    static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);

    /** Whether {@code node} has marked {@code peer} down (it missed an ACK), as its report shows. */
    static boolean markedDown(MeshNode node, String peer) {
        return node.report().peers().stream().anyMatch(p -> p.nodeId().equals(peer) && "down".equals(p.state()));
    }

    /** The most ZeroMQ connections {@code node} held at once, as its report shows. */
    static int peersHighWaterMark(MeshNode node) {
        return (Integer) ((java.util.Map<?, ?>) node.report().transports().get("zmq")).get("peersHighWaterMark");
    }

    final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    private final List<MeshNode> nodes = new ArrayList<>();

    @Override
    public InMemoryMatchmaker matchmaker() {
        return matchmaker;
    }

    @Override
    public MeshNode start(String nodeId, Object... endpoints) {
        return start(MeshNode.builder().nodeId(nodeId).endpoints(endpoints)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(ACK_TIMEOUT)));
    }

    @Override
    public MeshNode startCapped(String nodeId, java.util.Map<String, String> versionCaps) {
        return start(MeshNode.builder().nodeId(nodeId).versionCaps(versionCaps)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(ACK_TIMEOUT)));
    }

    /** Starts a node built elsewhere (its own ZeroMQ settings), joined to this cluster's directory. */
    MeshNode start(MeshNode.Builder builder) {
        MeshNode node = builder.matchmaker(matchmaker)
                .defaultTimeout(Duration.ofSeconds(10))
                .build()
                .start();
        nodes.add(node);
        return node;
    }

    @Override
    public void close() {
        nodes.forEach(MeshNode::stop);
    }
}
