package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;

/**
 * Where a transport hands the notifications it receives for this node's listener pools; the
 * acceptance decides the acknowledgement, as for requests.
 */
@FunctionalInterface
public interface NotificationHandler {

    /**
     * @param subscription which of the node's subscriptions (listener pools) the event arrived for, by index
     */
    Acceptance accept(int subscription, Envelope notification, TransportName transport);
}
