package io.meshrpc.transport;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One way to carry messages between nodes: the single interface the router sends through, and
 * what every transport implements (ZeroMQ, the AMQP broker, and the in-process transport for
 * tests), as grpc-java's {@code ClientTransport} is its one transport interface.
 *
 * <p>A transport hands what it receives to the node's {@link Inbound}: requests to the dispatcher,
 * replies to the calls waiting for them. It counts nothing itself; the router counts every send in
 * one place, from what {@link #send} reports.
 */
public interface Transport extends AutoCloseable {

    /** Which transport this is; the {@code transport} tag of the meters. */
    TransportName name();

    /**
     * Starts receiving. Returns once the node can be registered: a bound port, declared queues (a
     * broker that is down now is consumed from once it is back).
     *
     * @param inbound where received requests and replies go
     * @param topics  the topics this node serves (a broker transport consumes their queues)
     */
    void start(Inbound inbound, Set<String> topics);

    /**
     * Sends one CAST or CALL along {@code route}. The future completes when the message is the
     * receiver's (ZeroMQ: its ACK) or the broker's (its confirm), or fails with a
     * {@link io.meshrpc.api.NoRouteException} whose reason says why not. Never blocks the caller.
     */
    CompletableFuture<Void> send(Route route, OutboundMessage message);

    /**
     * Sends as {@link #send(Route, OutboundMessage)} does and tells {@code listener} how the send
     * ended instead of completing a future: the router's way, which spares a future and a
     * completion stage per message where a transport implements it itself (ZeroMQ does). Tells the
     * listener exactly once. By default it adapts the future.
     */
    default void send(Route route, OutboundMessage message, SendListener listener) {
        send(route, message).whenComplete((ok, failure) -> listener.sent(failure));
    }

    /** Whether it is started and its I/O has not failed. */
    boolean isRunning();

    /**
     * Stops taking in new messages, the first step of a graceful stop: replies to accepted calls
     * still go out. A broker transport stops consuming so its queued messages wait for another node.
     */
    void stopReceiving();

    /** Stops sending and receiving and frees the transport's sockets, threads and connections. */
    @Override
    void close();
}
