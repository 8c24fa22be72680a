package io.meshrpc.it;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;

/** Real nodes for a test, on one path or another, sharing one in-process directory. */
interface RpcCluster extends AutoCloseable {

    /** Starts a node serving {@code endpoints} (none: a node that only sends). */
    MeshNode start(String nodeId, Object... endpoints);

    InMemoryMatchmaker matchmaker();

    @Override
    void close();
}
