package io.meshrpc.launcher.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.meshrpc.launcher.Out;
import io.meshrpc.launcher.http.Http;

/**
 * Waits for processes to become healthy, telling the user as each one does: HTTP services when
 * {@code /actuator/health} says UP, the broker when its AMQP port accepts connections. A process
 * that exits while being waited for fails the wait at once, with the end of its log.
 */
public final class HealthWatch {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REMIND = Duration.ofSeconds(10);

    private final Http http = new Http(Duration.ofSeconds(2));
    private final Out out;

    public HealthWatch(Out out) {
        this.out = out;
    }

    /** Returns when all are healthy; throws naming the first that died, or those still down at the deadline. */
    public void await(List<ServiceProcess> processes, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReminder = start + REMIND.toNanos();
        Map<String, ServiceProcess> waiting = new LinkedHashMap<>();
        processes.forEach(p -> waiting.put(p.name(), p));
        while (!waiting.isEmpty()) {
            for (ServiceProcess p : new ArrayList<>(waiting.values())) {
                if (!p.alive()) {
                    throw new IllegalStateException(p.name() + " exited while starting; the end of " + p.log() + ":\n"
                            + tail(Path.of(p.log()), 25));
                }
                if (healthy(p)) {
                    waiting.remove(p.name());
                    out.step("%-13s up on :%d (%.1f s)", p.name(), p.httpPort(), seconds(start));
                }
            }
            long now = System.nanoTime();
            if (!waiting.isEmpty() && now > deadline) {
                throw new IllegalStateException("Not healthy after " + timeout.toSeconds() + " s: " + waiting.keySet()
                        + "; see their logs in " + Path.of(waiting.values().iterator().next().log()).getParent());
            }
            if (!waiting.isEmpty() && now > nextReminder) {
                out.step("waiting for %s (%.0f s)", String.join(", ", waiting.keySet()), seconds(start));
                nextReminder = now + REMIND.toNanos();
            }
            if (!waiting.isEmpty()) {
                LockSupport.parkNanos(POLL.toNanos()); // polling an external process: nothing to wait on but time
            }
        }
    }

    /** Health of one process: UP, DOWN, or "no answer". */
    public String health(ServiceProcess p) {
        if (!p.alive()) {
            return "EXITED";
        }
        if (p.kind() == ServiceKind.BROKER) {
            return portOpen(p.httpPort()) ? "UP" : "no answer";
        }
        try {
            Http.Reply reply = http.get(p.healthUrl());
            return reply.body() == null ? "HTTP " + reply.status() : reply.body().path("status").asString("HTTP " + reply.status());
        } catch (IOException ex) {
            return "no answer";
        }
    }

    private boolean healthy(ServiceProcess p) {
        return p.kind() == ServiceKind.BROKER ? portOpen(p.httpPort()) : http.isUp(p.healthUrl());
    }

    static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException ex) {
            return "(cannot read " + log + ": " + ex.getMessage() + ")";
        }
    }
}
