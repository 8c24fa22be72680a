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
