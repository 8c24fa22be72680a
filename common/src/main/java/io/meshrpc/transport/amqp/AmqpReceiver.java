package io.meshrpc.transport.amqp;

import io.meshrpc.transport.TransportName;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.transport.Acceptance;
import io.meshrpc.transport.Inbound;
import io.meshrpc.wire.EncodedEnvelope;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;

/**
 * Reads deliveries from the node's queues and has them acknowledged the way the ZeroMQ receiver
 * ACKs: once the node accepted the message for dispatch ({@link BrokerConsumer} batches the acks).
 *
 * <p>A message the node cannot take now (dispatch queue full, node draining) goes back to the
 * broker for another consumer or a later try; one that can never be handled here (malformed,
 * addressed to another node, a topic this node does not serve) is dropped and counted, so a poison
 * message cannot circle for ever.
 */
final class AmqpReceiver implements DeliveryHandler {

    private static final Logger log = LoggerFactory.getLogger(AmqpReceiver.class);

    private final String nodeId;
    private final EnvelopeCodec codec;
    private final Inbound inbound;
    private final AmqpTransport transport;

    AmqpReceiver(String nodeId, EnvelopeCodec codec, Inbound inbound, AmqpTransport transport) {
        this.nodeId = nodeId;
        this.codec = codec;
        this.inbound = inbound;
        this.transport = transport;
    }

    @Override
    public Settlement handle(String queue, byte[] body) {
        Envelope envelope;
        try {
            envelope = codec.decode(body);
        } catch (WireFormatException ex) {
            inbound.requests().rejected(TransportName.AMQP, ex.getMessage());
            return drop();
        }
        if (envelope.kind().answersACall()) {
            inbound.replies().reply(envelope, TransportName.AMQP);
            return Settlement.ACK;
        }
        Acceptance acceptance = inbound.requests().accept(envelope, TransportName.AMQP, reply -> replyTo(envelope, reply));
        if (acceptance.acknowledged()) {
            return Settlement.ACK;
        }
        if (acceptance == Acceptance.OVERLOADED || acceptance == Acceptance.DRAINING) {
            return Settlement.REQUEUE;
        }
        log.debug("Node {} dropped {} from the broker: {}", nodeId, envelope.id(), acceptance.description());
        return drop();
    }

    /**
     * Removes a message that can never be handled here. Acknowledged rather than rejected: Qpid
     * Broker-J hands a message rejected without requeue to the next consumer instead of discarding
     * it, so a reject would let a poison message circle; the drop is counted as {@code rejected}.
     */
    private static Settlement drop() {
        return Settlement.ACK;
    }

    private CompletableFuture<Void> replyTo(Envelope call, EncodedEnvelope reply) {
        if (call.replyTo() == null) {
            return CompletableFuture.failedFuture(new NoRouteException(NoRouteException.Reason.NO_NODES,
                    "call " + call.id() + " names no reply queue"));
        }
        return transport.sendReply(call.replyTo(), reply);
    }
}
