package io.meshrpc.it;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A frozen receiver: a real ROUTER that accepts connections and never reads a message, like the
 * talk's stuck process. Senders connect fine and then wait for an ACK that never comes.
 */
final class Blackhole implements AutoCloseable {

    private final ZContext context = new ZContext(1);
    private final String endpoint;

    Blackhole() {
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        router.setHandshakeIvl(250);
        int port = router.bindToRandomPort("tcp://127.0.0.1");
        this.endpoint = "tcp://127.0.0.1:" + port;
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        context.close();
    }
}
