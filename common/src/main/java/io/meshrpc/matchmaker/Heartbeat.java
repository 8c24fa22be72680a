package io.meshrpc.matchmaker;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.protocol.NodeRegistrationRequest;

/**
 * Keeps this node registered: the full registration once, then the small heartbeat (no body) every third of the
 * TTL; when the service answers the heartbeat 404 (it lost the node: an in-memory restart, an expiry) the full
 * registration again. Traffic counts go on their own, every stats interval and only when they changed since the
 * service last took them: they never move the registry's revision, so they need not ride on the heartbeat.
 */
final class Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    private static final int NOT_FOUND = 404;

    /** What the service hears about, for {@link Freshness} while no topic is watched. */
    interface Contact {
        void answered();

        void failed();
    }

    private final MatchmakerHttp http;
    private final Registration registration;
    private final RestMatchmakerSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Contact contact;
    private final List<ScheduledFuture<?>> timers = new CopyOnWriteArrayList<>();
    /** When the service last accepted this node's registration or heartbeat ({@link System#nanoTime}); 0: not now. */
    private volatile long acceptedAt;
    private volatile Map<String, Object> statsTaken; // the last stats the service accepted

    Heartbeat(MatchmakerHttp http, Registration registration, RestMatchmakerSettings settings,
              ScheduledExecutorService scheduler, Contact contact) {
        this.http = http;
        this.registration = registration;
        this.settings = settings;
        this.scheduler = scheduler;
        this.contact = contact;
    }

    /** Registers now, on the caller's thread (a node knows at start whether it got in), then beats. */
    void start() {
        register();
        long beat = Math.max(1, settings.heartbeatInterval().toMillis());
        long stats = settings.statsInterval().toMillis();
        timers.add(scheduler.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS));
        timers.add(scheduler.scheduleWithFixedDelay(this::sendStats, stats, stats, TimeUnit.MILLISECONDS));
    }

    void stop() {
        timers.forEach(t -> t.cancel(false));
        acceptedAt = 0;
    }

    /**
     * Whether the service holds this node now, as far as this node can know: it accepted the registration or a
     * heartbeat within the last TTL, after which the service expires a node it has not heard from. A node cut
     * off from the matchmaker (or forgotten by it) stops being registered here within one TTL.
     */
    boolean registered() {
        long at = acceptedAt;
        return at != 0 && System.nanoTime() - at < settings.ttl().toNanos();
    }

    private void accepted() {
        acceptedAt = System.nanoTime();
        contact.answered();
    }

    private void register() {
        NodeRef node = registration.node();
        Map<String, Object> stats = registration.stats().get();
        NodeRegistrationRequest body = new NodeRegistrationRequest(List.copyOf(registration.topics()),
                node.endpoint(), registration.transports(), settings.ttlSeconds(), node.publicKey(), stats);
        try {
            int status = http.put(MatchmakerProtocol.nodePath(node.nodeId()), body);
            if (status != NOT_FOUND) {
                statsTaken = stats;
                accepted();
            }
        } catch (IOException ex) {
            contact.failed();
            log.warn("Matchmaker registration of {} failed ({}); will retry", node.nodeId(), ex.toString());
        }
    }

    private void beat() {
        String nodeId = registration.node().nodeId();
        try {
            if (http.put(MatchmakerProtocol.heartbeatPath(nodeId), null) == NOT_FOUND) {
                log.info("Matchmaker no longer knows {} (restarted, or the node expired); registering again", nodeId);
                acceptedAt = 0;
                register();
            } else {
                accepted();
            }
        } catch (IOException ex) {
            contact.failed();
            log.warn("Matchmaker heartbeat of {} failed ({}); will retry", nodeId, ex.toString());
        }
    }

    private void sendStats() {
        Map<String, Object> stats = registration.stats().get();
        if (stats.equals(statsTaken)) {
            return;
        }
        String nodeId = registration.node().nodeId();
        try {
            // 404: not registered right now; the next heartbeat registers again, with these stats in the body
            if (http.put(MatchmakerProtocol.statsPath(nodeId), stats) != NOT_FOUND) {
                statsTaken = stats;
            }
        } catch (IOException ex) {
            log.debug("Matchmaker stats of {} not taken ({}); sent again next time", nodeId, ex.toString());
        }
    }
}
