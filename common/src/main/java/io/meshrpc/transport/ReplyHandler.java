package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;

/**
 * Where a transport hands received REPLYs: the node's client, whose calls wait for them. Apart from
 * {@link RequestHandler}, so that replies never pass through the server side.
 */
@FunctionalInterface
public interface ReplyHandler {

    /** Delivers a received REPLY to the call waiting for it; one that no call waits for is counted and dropped. */
    void reply(Envelope reply, TransportName transport);
}
