package io.meshrpc.it;

import java.time.Duration;
import java.util.ArrayDeque;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A slow network between one sender and one node, over real sockets: requests pass straight
 * through to the node, and everything the node answers (ACKs, replies) is held back for
 * {@code delay}. Registered in the directory in place of the node, it makes ACKs arrive late.
 */
final class AckDelayingProxy implements AutoCloseable {

    private record Held(long dueNanos, ZMsg message) {
    }

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket frontend;
    private final ZMQ.Socket backend;
    private final long delayNanos;
    private final String endpoint;
    private final Thread thread;
    private volatile boolean running = true;
    private byte[] senderIdentity;

    AckDelayingProxy(String nodeEndpoint, Duration delay) {
        this.delayNanos = delay.toNanos();
        frontend = context.createSocket(SocketType.ROUTER);
        frontend.setHandshakeIvl(250);
        endpoint = "tcp://127.0.0.1:" + frontend.bindToRandomPort("tcp://127.0.0.1");
        backend = context.createSocket(SocketType.DEALER);
        backend.setHandshakeIvl(250);
        backend.connect(nodeEndpoint);
        thread = new Thread(this::run, "ack-delaying-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    String endpoint() {
        return endpoint;
    }

    private void run() {
        ArrayDeque<Held> held = new ArrayDeque<>();
        ZMQ.Poller poller = context.createPoller(2);
        poller.register(frontend, ZMQ.Poller.POLLIN);
        poller.register(backend, ZMQ.Poller.POLLIN);
        while (running) {
            poller.poll(10);
            if (poller.pollin(0)) {
                ZMsg request = ZMsg.recvMsg(frontend);
                senderIdentity = request.pop().getData();
                request.send(backend);
            }
            if (poller.pollin(1)) {
                held.add(new Held(System.nanoTime() + delayNanos, ZMsg.recvMsg(backend)));
            }
            while (!held.isEmpty() && System.nanoTime() - held.peek().dueNanos() >= 0) {
                ZMsg answer = held.poll().message();
                answer.push(senderIdentity);
                answer.send(frontend);
            }
        }
        poller.close();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
        context.close();
    }

}
