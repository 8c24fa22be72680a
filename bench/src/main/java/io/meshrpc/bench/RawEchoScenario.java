package io.meshrpc.bench;

import java.time.Duration;
import java.util.Arrays;

import org.zeromq.ZMQ;

/**
 * {@code raw-zmq-echo}: the floor for meshrpc's call latency. A DEALER sends 100 bytes to a ROUTER
 * that echoes them, strictly one at a time; latency is the round trip.
 *
 * <p>Sequential because a call's latency, not a pipeline's throughput, is what the call targets
 * compare; msgs/s is then just the inverse of the mean round trip.
 */
final class RawEchoScenario implements Scenario {

    static final int PAYLOAD_BYTES = 100;
    private static final Duration REPLY_WAIT = Duration.ofSeconds(5);

    private final RawRouter router = new RawRouter(RawRouter.Reply.ECHO);
    private final RawDealer dealer = new RawDealer();
    private final byte[] payload = new byte[PAYLOAD_BYTES];

    RawEchoScenario() {
        Arrays.fill(payload, (byte) 'x');
    }

    @Override
    public String name() {
        return "raw-zmq-echo";
    }

    @Override
    public void open() {
        dealer.connect(router.start(), REPLY_WAIT);
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws Exception {
        ZMQ.Socket socket = dealer.socket();
        return RoundTrips.sequential(duration, latencies, () -> echo(socket));
    }

    /** One round trip; throws unless the payload comes back whole within {@link #REPLY_WAIT}. */
    private void echo(ZMQ.Socket socket) {
        socket.send(payload, 0);
        byte[] echo = socket.recv(0);
        if (echo == null || echo.length != PAYLOAD_BYTES) {
            throw new IllegalStateException("No echo of " + PAYLOAD_BYTES + " bytes within "
                    + REPLY_WAIT.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        dealer.close();
        router.close();
    }
}
