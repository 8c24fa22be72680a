package io.meshrpc.transport.amqp;

/** Looks at one delivery on the consumer's thread and says how to settle it; never blocks. */
@FunctionalInterface
interface DeliveryHandler {

    /**
     * @param queue the queue the delivery came from
     * @param body  the message body, not yet parsed
     */
    Settlement handle(String queue, byte[] body);
}
