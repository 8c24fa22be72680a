package io.meshrpc.transport.amqp;

import java.io.IOException;
import java.util.Map;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

import com.rabbitmq.client.Channel;

import io.meshrpc.transport.Acceptance;
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
final class PoolReceiver implements ChannelAwareMessageListener {

    private final EnvelopeCodec codec;
    private final Map<String, Integer> poolByQueue;
    private final NotificationHandler handler;

    PoolReceiver(EnvelopeCodec codec, Map<String, Integer> poolByQueue, NotificationHandler handler) {
        this.codec = codec;
        this.poolByQueue = Map.copyOf(poolByQueue);
        this.handler = handler;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        Integer pool = poolByQueue.get(message.getMessageProperties().getConsumerQueue());
        if (pool == null) {
            channel.basicAck(tag, false);
            return;
        }
        Envelope event;
        try {
            event = codec.decode(message.getBody());
        } catch (WireFormatException ex) {
            handler.unreadable(pool, TransportName.AMQP, ex.getMessage());
            channel.basicAck(tag, false);
            return;
        }
        Acceptance acceptance = handler.accept(pool, event, TransportName.AMQP);
        if (acceptance.acknowledged()) {
            channel.basicAck(tag, false);
        } else {
            channel.basicNack(tag, false, true);
        }
    }
}
