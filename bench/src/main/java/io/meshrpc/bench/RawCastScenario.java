package io.meshrpc.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import org.zeromq.ZMQ;

/**
 * {@code raw-zmq-cast}: the ceiling for meshrpc's cast. A DEALER keeps 1,000 messages of 200 bytes
 * un-ACKed toward a ROUTER that ACKs each one; throughput counts ACKed messages, latency is send to
 * ACK.
 *
 * <p>ACKed rather than fire-and-forget because a meshrpc cast completes on its ACK: comparing it
 * with PUSH/PULL would charge meshrpc for the delivery guarantee instead of for its overhead. One
 * thread sends and receives (the socket is not thread safe); sequence numbers in the first 8 bytes
 * find each message's send time in a ring larger than the window.
 */
final class RawCastScenario implements Scenario {

    static final int PAYLOAD_BYTES = 200;
    static final int WINDOW = 1_000;
    private static final int RING = 1_024;
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);

    private final RawRouter router = new RawRouter(RawRouter.Reply.ACK);
    private final RawDealer dealer = new RawDealer();
    private final long[] sentAt = new long[RING];
    private final byte[] template = new byte[PAYLOAD_BYTES];
    private long nextSeq;

    RawCastScenario() {
        Arrays.fill(template, (byte) 'x');
    }

    @Override
    public String name() {
        return "raw-zmq-cast";
    }

    @Override
    public void open() {
        dealer.connect(router.start(), ACK_WAIT);
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) {
        ZMQ.Socket socket = dealer.socket();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long completed = 0;
        int inFlight = 0;
        while (true) {
            if (System.nanoTime() < deadline) {
                for (; inFlight < WINDOW; inFlight++) {
                    send(socket);
                }
            } else if (inFlight == 0) {
                return RunStats.of(completed, System.nanoTime() - start);
            }
            int acked = receiveAcks(socket, latencies);
            inFlight -= acked;
            completed += acked;
        }
    }

    private void send(ZMQ.Socket socket) {
        long seq = nextSeq++;
        byte[] payload = template.clone();
        ByteBuffer.wrap(payload).putLong(0, seq);
        sentAt[(int) (seq % RING)] = System.nanoTime();
        socket.send(payload, 0);
    }

    /** Waits for one ACK, then takes every ACK already queued without waiting. */
    private int receiveAcks(ZMQ.Socket socket, LatencyRecorder latencies) {
        byte[] ack = socket.recv(0);
        if (ack == null) {
            throw new IllegalStateException("No ACK within " + ACK_WAIT.toSeconds() + " s");
        }
        int received = 0;
        do {
            long seq = ByteBuffer.wrap(ack).getLong(0);
            latencies.record(System.nanoTime() - sentAt[(int) (seq % RING)]);
            received++;
            ack = socket.recv(ZMQ.DONTWAIT);
        } while (ack != null);
        return received;
    }

    @Override
    public void close() {
        dealer.close();
        router.close();
    }
}
