package io.meshrpc.transport.amqp;

import java.util.Map;

import io.meshrpc.transport.NotificationHandler;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.EnvelopeCodec;
import io.meshrpc.wire.WireFormatException;

/**
 * Reads the events of this node's listener pools and acknowledges them as the handler accepts them;
 * one the handler cannot take now goes back to the pool's queue for another member, one that can
 * never be read is dropped (a poison event must not circle).
 */
final class PoolReceiver implements DeliveryHandler {

    private final EnvelopeCodec codec;
    private final Map<String, Integer> poolByQueue;
    private final NotificationHandler handler;

    PoolReceiver(EnvelopeCodec codec, Map<String, Integer> poolByQueue, NotificationHandler handler) {
        this.codec = codec;
        this.poolByQueue = Map.copyOf(poolByQueue);
        this.handler = handler;
    }

    @Override
    public Settlement handle(String queue, byte[] body) {
        Integer pool = poolByQueue.get(queue);
        if (pool == null) {
            return Settlement.ACK;
        }
        Envelope event;
        try {
            event = codec.decode(body);
        } catch (WireFormatException ex) {
            handler.unreadable(pool, TransportName.AMQP, ex.getMessage());
            return Settlement.ACK;
        }
        return handler.accept(pool, event, TransportName.AMQP).acknowledged() ? Settlement.ACK : Settlement.REQUEUE;
    }
}
