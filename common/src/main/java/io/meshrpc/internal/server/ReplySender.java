package io.meshrpc.internal.server;

import io.meshrpc.transport.ReplyChannel;
import io.meshrpc.transport.TransportName;
import io.meshrpc.wire.EncodedEnvelope;

/** Where the dispatcher hands a finished call's reply: the node sends, counts and, if need be, fails it over. */
@FunctionalInterface
public interface ReplySender {

    /**
     * Sends {@code reply} back along {@code channel}, the path its call came on ({@code via}).
     *
     * @param caller the calling node's id, where a reply goes when its own path is gone; null if unknown
     */
    void send(ReplyChannel channel, TransportName via, String caller, EncodedEnvelope reply);
}
