package io.meshrpc.matchmaker;

import java.util.Objects;

/**
 * A node as senders see it: its id, the ZeroMQ endpoint its receiver listens on, and the CURVE
 * public key of that receiver when the fleet uses CURVE.
 *
 * @param nodeId    the node's id (its {@code meshrpc.node-id}, usually the host name)
 * @param endpoint  {@code tcp://host:port} of its ROUTER, or {@code null} if it has no ZeroMQ receiver
 * @param publicKey Z85 CURVE public key of its receiver, or {@code null}
 */
public record NodeRef(String nodeId, String endpoint, String publicKey) {

    public NodeRef {
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /** A node without CURVE. */
    public NodeRef(String nodeId, String endpoint) {
        this(nodeId, endpoint, null);
    }

    public boolean hasZmqEndpoint() {
        return endpoint != null;
    }
}
