package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;

/**
 * How the reply to one received call travels back to its caller. Each transport supplies its own
 * (ZeroMQ: the same connection the call came on), so the dispatcher stays transport-agnostic.
 */
@FunctionalInterface
public interface ReplyChannel {

    /**
     * Sends an encoded reply. Called from a dispatch worker, never from an I/O thread; must not
     * block for long.
     */
    void send(Envelope reply, byte[] encoded);
}
