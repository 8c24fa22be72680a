package io.meshrpc.transport.zmq;

import org.zeromq.ZMQ;

/** Socket options both halves of the transport set the same way. */
final class ZmqSockets {

    private ZmqSockets() {
    }

    /**
     * ZMTP heartbeats, and the frame size limit. Frames a little over the message limit are still
     * read (and counted as rejected); far larger ones make JeroMQ drop the connection before
     * buffering them.
     */
    static void applyLimits(ZMQ.Socket socket, ZmqSettings settings, int maxMessageBytes) {
        socket.setHeartbeatIvl((int) settings.heartbeatInterval().toMillis());
        socket.setHeartbeatTimeout((int) settings.heartbeatTimeout().toMillis());
        socket.setHeartbeatTtl((int) settings.heartbeatTimeout().toMillis());
        socket.setMaxMsgSize(2L * maxMessageBytes + 4096);
    }
}
