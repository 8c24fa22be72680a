package io.meshrpc.transport;

import io.meshrpc.wire.Envelope;

/**
 * Where a transport hands the notifications it receives for this node's listener pools; the
 * acceptance decides the acknowledgement, as for requests.
 */
public interface NotificationHandler {

    /**
     * @param subscription which of the node's subscriptions (listener pools) the event arrived for, by index
     */
    Acceptance accept(int subscription, Envelope notification, TransportName transport);

    /** A message for the pool that could not even be read as an envelope: dropped, and counted here. */
    void unreadable(int subscription, TransportName transport, String reason);
}
