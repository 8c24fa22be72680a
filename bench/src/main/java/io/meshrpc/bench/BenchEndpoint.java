package io.meshrpc.bench;

import java.util.concurrent.atomic.LongAdder;

import io.meshrpc.api.RpcEndpoint;

/**
 * The receiving application of the meshrpc scenarios: as cheap as a handler can be, so the
 * benchmark measures meshrpc and not the handler.
 *
 * <p>Public, because meshrpc calls its public methods by name. {@code consume} counts casts so the
 * cast scenario can check that every ACKed cast was also handled.
 */
@RpcEndpoint(topic = BenchEndpoint.TOPIC)
public class BenchEndpoint {

    public static final String TOPIC = "bench";

    private final LongAdder handled = new LongAdder();

    /** Target of {@code zmq-cast}. */
    public void consume(String payload) {
        handled.increment();
    }

    /** Target of {@code zmq-call}. */
    public String echo(String payload) {
        return payload;
    }

    /** Casts handled so far (also callable remotely, which is harmless). */
    public long handled() {
        return handled.sum();
    }
}
