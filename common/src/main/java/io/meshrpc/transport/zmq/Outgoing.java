package io.meshrpc.transport.zmq;

import io.meshrpc.transport.SendListener;
import io.meshrpc.wire.EncodedEnvelope;

/**
 * One CAST or CALL on its way to a peer, as the I/O thread received it: sent at once on the peer's
 * connection, or held in {@link WaitingSends} until a connection is free for it.
 *
 * @param replyDeadline for a CALL, when its reply is due (epoch milliseconds); 0 for a CAST
 * @param acked         told of the ACK, or of a {@link io.meshrpc.api.NoRouteException} saying why none came
 */
record Outgoing(String peerNodeId, String peerEndpoint, String peerKey, EncodedEnvelope envelope, long replyDeadline,
                SendListener acked) {

    String id() {
        return envelope.header().id();
    }

    boolean call() {
        return replyDeadline > 0;
    }

    /** The peer as messages name it: {@code node-id (tcp://host:port)}. */
    String describePeer() {
        return peerNodeId + " (" + peerEndpoint + ")";
    }
}
