package io.meshrpc.bench;

import java.util.Arrays;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The receiving side of the raw JeroMQ baselines: a ROUTER in its own {@link ZContext}, owned by one
 * thread, that answers every message at once.
 *
 * <p>It does the least a receiver can do and still prove delivery to the sender (an ACK of the
 * message's first 8 bytes, its sequence number) or the least an RPC server can do (echo the
 * payload), which is the floor meshrpc is compared against. Its own context, like a separate
 * process, because one shared context hides the connect behaviour real nodes see.
 */
final class RawRouter implements AutoCloseable {

    /** What the ROUTER answers to each message. */
    enum Reply { ACK, ECHO }

    static final int ACK_BYTES = Long.BYTES;
    private static final int POLL_MILLIS = 100;

    private final Reply reply;
    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket router;
    private final Thread thread;
    private volatile boolean running = true;

    RawRouter(Reply reply) {
        this.reply = reply;
        this.router = context.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setSndHWM(100_000);
        router.setRcvHWM(100_000);
        router.setReceiveTimeOut(POLL_MILLIS);
        this.thread = new Thread(this::serve, "raw-router-" + reply.name().toLowerCase());
        thread.setDaemon(true);
    }

    /** Binds to a free loopback port, starts answering, and returns the endpoint to connect to. */
    String start() {
        int port = router.bindToRandomPort("tcp://127.0.0.1", 49152, 65535);
        thread.start();
        return "tcp://127.0.0.1:" + port;
    }

    private void serve() {
        while (running) {
            byte[] identity = router.recv(0);
            if (identity == null) {
                continue;
            }
            byte[] payload = router.recv(0);
            if (payload == null) {
                continue;
            }
            byte[] answer = reply == Reply.ACK ? Arrays.copyOf(payload, ACK_BYTES) : payload;
            router.send(identity, ZMQ.SNDMORE);
            router.send(answer, 0);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
