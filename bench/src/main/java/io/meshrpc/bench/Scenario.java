package io.meshrpc.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One benchmark scenario: a sender and a receiver set up once, then driven for a warm-up and for a
 * measured period by {@link ScenarioRunner}.
 *
 * <p>Setting up is separate from running so that connecting (and JeroMQ's occasional handshake
 * stall between separate contexts) never counts in a measurement, and one warm-up reuses the same
 * sockets, nodes and JIT-compiled paths as the measurement that follows it.
 */
public interface Scenario extends AutoCloseable {

    /** The scenario's name as docs/benchmarks.md lists it, such as {@code zmq-cast}. */
    String name();

    /** Creates sockets or nodes and waits until the first message went through. */
    void open() throws Exception;

    /**
     * Sends for {@code duration}, then waits for what is still in flight, recording one latency per
     * completed message.
     */
    RunStats run(Duration duration, LatencyRecorder latencies) throws Exception;

    /**
     * Waits, outside any measurement, until what the last run left behind is done (a consumer still
     * working through messages the broker or a queue holds for it), so that it does not run into the
     * next scenario's round and is not counted there; nothing by default.
     */
    default void settle() throws InterruptedException {
    }

    /** Checks made after the measurement (such as "every ACKed cast was handled"); warnings, if any. */
    default List<String> verify() throws InterruptedException {
        return List.of();
    }

    /**
     * Figures only this scenario measures, by JSON field name, as of its last run: written after the
     * common fields of its result (such as {@code fanout-wide}'s {@code receivers}). In order; none by default.
     */
    default Map<String, Number> fields() {
        return Map.of();
    }

    /**
     * Once open, the process of a broker on this machine that the scenario's messages go through, whose
     * CPU per message the runner measures beside the scenario's own; none by default.
     */
    default OptionalLong brokerProcess() {
        return OptionalLong.empty();
    }

    /** Releases sockets, nodes and threads; never throws. */
    @Override
    void close();
}
