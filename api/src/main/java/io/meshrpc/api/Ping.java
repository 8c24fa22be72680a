package io.meshrpc.api;

import java.time.Duration;

/**
 * The answer to {@link RpcClient#ping}: which node's receiver answered, and how long the round trip
 * took as the caller measured it (send to reply, callbacks included).
 *
 * @param nodeId    the node that answered
 * @param roundTrip from the call to its reply
 */
public record Ping(String nodeId, Duration roundTrip) {

    /**
     * The reserved method a ping calls: the receiving node answers it with its id, without an
     * endpoint (oslo.messaging's {@code oslo_rpc_server_ping}). Endpoint methods may not be named
     * {@code meshrpc.*}.
     */
    public static final String METHOD = "meshrpc.ping";
}
