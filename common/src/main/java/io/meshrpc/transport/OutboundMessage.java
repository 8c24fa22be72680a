package io.meshrpc.transport;

import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;

/**
 * One CAST or CALL on its way out, encoded once on the caller's thread. The same object travels every
 * path a message tries, so a failover resends the same bytes with the same id; each transport takes
 * the encoding it sends ({@link EncodedEnvelope#json()} or {@link EncodedEnvelope#binary()}).
 *
 * @param envelope the encoded envelope and its header, which the router and the transports read
 */
public record OutboundMessage(EncodedEnvelope envelope) {

    /** The envelope without its arguments (they are in the encodings). */
    public Envelope header() {
        return envelope.header();
    }

    /**
     * When the reply to a CALL is due, epoch milliseconds (a transport keeps the path of its reply
     * open until then); 0 for a CAST.
     */
    public long replyDeadline() {
        Envelope header = envelope.header();
        return header.kind() == Kind.CALL ? header.deadline() : 0;
    }
}
