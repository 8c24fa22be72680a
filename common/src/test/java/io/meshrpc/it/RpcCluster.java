package io.meshrpc.it;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;

/** Real nodes for a test, on one path or another, sharing one in-process directory. */
interface RpcCluster extends AutoCloseable {

    /** Starts a node serving {@code endpoints} (none: a node that only sends). */
    MeshNode start(String nodeId, Object... endpoints);

    /** Starts a node that only sends, capping the interface version it sends per topic. */
    MeshNode startCapped(String nodeId, java.util.Map<String, String> versionCaps);

    InMemoryMatchmaker matchmaker();

    @Override
    void close();
}
