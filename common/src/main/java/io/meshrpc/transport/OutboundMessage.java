package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;

/**
 * One CAST or CALL on its way out: the header the router and the transports read, and the frame
 * that goes on the wire, encoded once on the caller's thread. The same object travels every path
 * a message tries, so a failover resends the same bytes with the same id.
 *
 * @param header the envelope, without its arguments (they are in the frame)
 * @param frame  the encoded envelope
 */
public record OutboundMessage(Envelope header, byte[] frame) {

    /**
     * When the reply to a CALL is due, epoch milliseconds (a transport keeps the path of its reply
     * open until then); 0 for a CAST.
     */
    public long replyDeadline() {
        return header.kind() == Kind.CALL ? header.deadline() : 0;
    }
}
