package io.meshrpc.transport.zmq;

import java.util.concurrent.CompletableFuture;

/** A sent message waiting for its ACK. */
record PendingAck(String id, long sentAtNanos, boolean call, CompletableFuture<Void> acked) {
}
