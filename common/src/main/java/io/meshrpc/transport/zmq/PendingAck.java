package io.meshrpc.transport.zmq;

import io.meshrpc.transport.SendListener;

/** A sent message waiting for its ACK. */
record PendingAck(String id, long sentAtNanos, boolean call, SendListener acked) {
}
