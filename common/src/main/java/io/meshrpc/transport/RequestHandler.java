package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;

/**
 * Where a transport hands received requests (CAST and CALL): the node's dispatcher. Shared by all
 * transports, so that dedup and dispatch are the same whichever path carried a message.
 */
public interface RequestHandler {

    /**
     * Offers a received CAST or CALL for dispatch. Called on the transport's receiving thread, so it
     * returns at once: the message is queued, never handled here.
     */
    Acceptance accept(Envelope request, TransportName transport, ReplyChannel replyChannel);

    /** Counts a frame that could not be read at all. */
    void rejected(TransportName transport, String reason);
}
