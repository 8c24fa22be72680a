package io.meshrpc.launcher.cluster;

import java.time.Instant;
import java.util.Optional;

/**
 * One process the launcher started, as recorded in the state file.
 *
 * @param name      e.g. {@code compute-3}; the node id for mesh nodes
 * @param kind      what it is
 * @param pid       its process id
 * @param startedAt when the OS says it started: with the pid, it tells our process from a
 *                  later one that reused the pid, so {@code down} never stops a stranger
 * @param httpPort  its HTTP port (the AMQP port for the broker)
 * @param zmqPort   its ZeroMQ port, 0 when it has none
 * @param log       its log file
 */
public record ServiceProcess(String name, ServiceKind kind, long pid, Instant startedAt, int httpPort, int zmqPort,
                             String log) {

    /** The live process, if it is still the one we started. */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> startedAt == null || h.info().startInstant().map(startedAt::equals).orElse(true));
    }

    public boolean alive() {
        return handle().isPresent();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String healthUrl() {
        return baseUrl() + "/actuator/health";
    }
}
