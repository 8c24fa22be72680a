package io.meshrpc.transport.amqp;

/** What becomes of a delivery once the node has looked at it. */
enum Settlement {
    /** Taken (or dropped for good): acknowledged, in a batch with the deliveries around it. */
    ACK,
    /** Not taken now (node full or draining): given back to the queue at once, for another consumer. */
    REQUEUE
}
