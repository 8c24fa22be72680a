package io.meshrpc.launcher.ops;

/**
 * Messages sent per transport (meter {@code meshrpc.messages.sent}, outcome {@code ok}), summed
 * over the cluster's nodes.
 *
 * @param zmq  carried by ZeroMQ
 * @param amqp carried by the broker
 */
public record TransportCounts(long zmq, long amqp) {

    public TransportCounts minus(TransportCounts earlier) {
        return new TransportCounts(zmq - earlier.zmq, amqp - earlier.amqp);
    }

    public long total() {
        return zmq + amqp;
    }

    /** {@code zmq 62% (1234) | amqp 38% (756)}. */
    public String shares() {
        long total = total();
        return String.format("zmq %3d%% (%d) | amqp %3d%% (%d)", percent(zmq, total), zmq, percent(amqp, total), amqp);
    }

    private static long percent(long part, long total) {
        return total == 0 ? 0 : Math.round(100.0 * part / total);
    }
}
