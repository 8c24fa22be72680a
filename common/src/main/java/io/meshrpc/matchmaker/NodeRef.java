package io.meshrpc.matchmaker;

import java.util.Objects;

/**
 * A node as senders see it: its id and the ZeroMQ endpoint its receiver listens on.
 *
 * @param nodeId   the node's id (its {@code meshrpc.node-id}, usually the host name)
 * @param endpoint {@code tcp://host:port} of its ROUTER, or {@code null} if it has no ZeroMQ receiver
 */
public record NodeRef(String nodeId, String endpoint) {

    public NodeRef {
        Objects.requireNonNull(nodeId, "nodeId");
    }

    public boolean hasZmqEndpoint() {
        return endpoint != null;
    }
}
