package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;

/**
 * What a transport hands received envelopes to. Implemented by the node's dispatcher; shared by
 * all transports so that dedup and dispatch are the same whichever path carried a message.
 */
public interface InboundHandler {

    /**
     * Offers a received CAST or CALL for dispatch. Called on the transport's receiving thread, so it
     * returns at once: the message is queued, never handled here.
     */
    Acceptance accept(Envelope request, String transport, ReplyChannel replyChannel);

    /** Delivers a received REPLY to the call waiting for it. */
    void reply(Envelope reply, String transport);

    /** Counts a frame that could not be read at all. */
    void rejected(String transport, String reason);
}
