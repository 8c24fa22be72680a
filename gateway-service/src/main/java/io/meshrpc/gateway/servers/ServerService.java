package io.meshrpc.gateway.servers;

import java.time.Instant;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RemoteException;
import io.meshrpc.gateway.GatewayProperties;
import io.meshrpc.gateway.errors.ServerConflictException;
import io.meshrpc.gateway.errors.ServerNotFoundException;
import io.meshrpc.gateway.errors.UpstreamException;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.gateway.HostInventory;
import io.meshrpc.services.gateway.InstanceEvent;
import io.meshrpc.services.scheduler.BuildRequest;

/**
 * What the servers API does, over the mesh.
 *
 * <p>Boot: call the scheduler, then cast {@code build_instance} to the chosen host; the request is
 * answered once a host (or its broker queue) accepted the cast, and the server turns ACTIVE when
 * the host says so. The host has {@code gateway.build-timeout} from then on.
 *
 * <p>A host fails a build in one of three ways: it does not take the cast (any failure of the
 * cast: no acknowledgement, refused by its transport as overloaded, gone), it refuses the build
 * (an ERROR event; retryable when another host may succeed), or it stays silent past the build
 * deadline (it dropped the build, died, or its broker queue holds the build). Each time the host
 * is excluded and the instance scheduled again, up to {@code gateway.max-schedule-attempts}
 * hosts (Nova's reschedule); then the server is in ERROR with the reason and a
 * {@link BuildFailure} code. A host that may hold the build after all (silent past the deadline, or
 * a cast that timed out) is sent a {@code delete_instance}, so a late build does not leak its room.
 *
 * <p>If no host took the cast before the HTTP request is answered, the request fails (503/504)
 * and nothing is kept. Every path is asynchronous: no thread waits for a build.
 */
@Service
public class ServerService {

    private static final Logger log = LoggerFactory.getLogger(ServerService.class);

    private final ServerRegistry registry;
    private final Cloud cloud;
    private final GatewayProperties properties;
    private final Clock clock;

    public ServerService(ServerRegistry registry, Cloud cloud, GatewayProperties properties, Clock clock) {
        this.registry = registry;
        this.cloud = cloud;
        this.properties = properties;
        this.clock = clock;
    }

    /** Boots a server; completes with it as accepted (BUILDING, placed, its host took the cast). */
    public CompletableFuture<Server> create(CreateServerRequest request) {
        request.validate();
        Server server = Server.requested(UUID.randomUUID().toString(), request.name().strip(), request.vcpus(),
                request.ramMb(), clock.instant());
        registry.add(server);
        return place(server.id()).whenComplete((placed, error) -> {
            if (error != null) {
                registry.remove(server.id());
            }
        });
    }

    /** Every server this gateway knows. */
    public ServerRegistry registry() {
        return registry;
    }

    /** The server, with its host's fresher state when it is still building. */
    public CompletableFuture<Server> show(String id) {
        Server server = require(id);
        if (server.status() != InstanceStatus.BUILDING || server.host() == null) {
            return CompletableFuture.completedFuture(server);
        }
        return cloud.describeInstance(server.host(), id)
                .thenApply(info -> refresh(server, info))
                .exceptionally(error -> server);
    }

    /** Deletes the server on its host (a cast) and forgets it. */
    public CompletableFuture<Void> delete(String id) {
        Server server = require(id);
        if (server.host() == null) {
            registry.remove(id);
            return CompletableFuture.completedFuture(null);
        }
        return cloud.deleteInstance(server.host(), id).handle((ok, error) -> {
            if (error != null) {
                log.warn("Server {} forgotten, but its host {} did not take the delete: {}", id, server.host(),
                        Failures.unwrap(error).getMessage());
            }
            registry.remove(id);
            return null;
        });
    }

    /** A console token for an ACTIVE server: the host says where the console is, consoleauth issues the token. */
    public CompletableFuture<ConsoleView> console(String id) {
        Server server = require(id);
        if (server.status() != InstanceStatus.ACTIVE) {
            throw new ServerConflictException("Server " + id + " is " + server.status()
                    + "; a console opens once it is ACTIVE");
        }
        return cloud.getConsole(server.host(), id)
                .thenCompose(cloud::authorizeConsole)
                .thenApply(token -> new ConsoleView(token.token(), properties.consoleBaseUrl() + "?token=" + token.token(),
                        "vnc", token.expiresAt()));
    }

    /** A state change from a host. Events from a host the server is no longer on are stale and ignored. */
    public void onEvent(InstanceEvent event) {
        Server server = registry.find(event.instanceId()).orElse(null);
        if (server == null || server.host() == null || !server.host().equals(event.host())) {
            return;
        }
        String host = event.host();
        int attempt = server.attempts();
        switch (event.status()) {
            case ACTIVE -> registry.updateIf(server.id(), s -> s.buildingOn(host, attempt), s -> s.active(clock.instant()));
            case DELETED -> registry.remove(server.id());
            case ERROR -> {
                String reason = event.reason() == null ? "Host " + host + " refused the build" : event.reason();
                hostFailed(server.id(), host, attempt,
                        event.retryable() ? BuildFailure.HOST_REFUSED : BuildFailure.BUILD_FAILED, reason,
                        event.retryable());
            }
            case BUILDING -> { }
        }
    }

    /**
     * A host started and holds exactly {@code inventory}'s instances: every ACTIVE server placed there
     * that it does not list was lost with its previous run, and goes to ERROR. BUILDING ones are left to
     * their build deadline, since a build cast may reach the new run after it announced itself.
     *
     * @return how many servers went to ERROR
     */
    public int onInventory(HostInventory inventory) {
        Set<String> held = Set.copyOf(inventory.instanceIds());
        return failActive(inventory.host(), id -> !held.contains(id), BuildFailure.HOST_RESTARTED,
                "Host " + inventory.host() + " restarted without it (its inventory at " + inventory.startedAt()
                        + " did not list it)");
    }

    /** The host of ACTIVE servers left the fleet (called by {@link LostHosts}); returns how many went to ERROR. */
    int hostLost(String host, BuildFailure code, String reason) {
        return failActive(host, id -> true, code, reason);
    }

    private int failActive(String host, Predicate<String> lost, BuildFailure code, String reason) {
        Instant now = clock.instant();
        int failed = 0;
        for (Server server : registry.snapshot()) {
            if (host.equals(server.host()) && server.status() == InstanceStatus.ACTIVE && lost.test(server.id())
                    && registry.updateIf(server.id(), s -> s.status() == InstanceStatus.ACTIVE && host.equals(s.host()),
                            s -> s.error(code, reason, now)).isPresent()) {
                failed++;
            }
        }
        if (failed > 0) {
            log.warn("{}: {} ACTIVE server(s) put in ERROR", reason, failed);
        }
        return failed;
    }

    /**
     * The build deadline of {@code server} passed (called by {@link BuildDeadlines}): the host dropped
     * the build, died or deregistered, or its broker queue holds the cast. It is told to delete the
     * instance, in case it builds it later, and the instance goes elsewhere or to ERROR.
     */
    void buildTimedOut(Server server) {
        String host = server.host();
        String reason = "Host " + host + " took the build but did not finish it within "
                + properties.buildTimeout().toSeconds() + " s";
        if (hostFailed(server.id(), host, server.attempts(), BuildFailure.BUILD_TIMEOUT, reason, true)) {
            forgetOn(host, server.id());
        }
    }

    /**
     * Attempt {@code attempt} failed on {@code host}: schedules the server again while attempts
     * remain and the failure is retryable, else puts it in ERROR.
     *
     * @return whether this call handled the failure (another path may have handled it first)
     */
    private boolean hostFailed(String id, String host, int attempt, BuildFailure code, String reason,
                               boolean retryable) {
        Instant now = clock.instant();
        if (retryable && attempt < properties.maxScheduleAttempts()) {
            boolean unplaced = registry.updateIf(id, s -> s.buildingOn(host, attempt), s -> s.failedByHost(now))
                    .isPresent();
            if (unplaced) {
                log.info("Server {}: {}; scheduling it again (attempt {} of {})", id, reason, attempt + 1,
                        properties.maxScheduleAttempts());
                place(id).whenComplete((placed, error) -> {
                    if (error != null) {
                        Throwable cause = Failures.unwrap(error);
                        BuildFailure last = isBuildCast(cause) ? BuildFailure.NOT_DELIVERED : code;
                        registry.updateIf(id, s -> s.status() == InstanceStatus.BUILDING, s -> s.error(last,
                                reason + "; then no other host took it: " + describe(cause), clock.instant()));
                    }
                });
            }
            return unplaced;
        }
        String fault = retryable ? reason + " (" + attempt + " of " + properties.maxScheduleAttempts()
                + " attempts used)" : reason;
        return registry.updateIf(id, s -> s.buildingOn(host, attempt), s -> s.error(code, fault, now)).isPresent();
    }

    /** Schedules the server and casts the build to the chosen host; on a host that does not take the cast, the next. */
    private CompletableFuture<Server> place(String id) {
        Server server = require(id);
        BuildRequest request = new BuildRequest(id, server.vcpus(), server.ramMb(), server.triedHosts());
        return cloud.selectDestination(request).thenCompose(destination -> {
            String host = destination.host();
            Server placed = registry.update(id, s -> s.placedOn(host, clock.instant()))
                    .orElseThrow(() -> new ServerNotFoundException(id));
            int attempt = placed.attempts();
            return cloud.buildInstance(host, placed.spec()).handle((ok, error) -> error).thenCompose(error -> {
                if (error == null) {
                    Instant now = clock.instant();
                    return CompletableFuture.completedFuture(registry.updateIf(id, s -> s.buildingOn(host, attempt),
                            s -> s.buildTaken(now.plus(properties.buildTimeout()), now))
                            .orElseGet(() -> registry.find(id).orElse(placed)));
                }
                return notTaken(placed, error);
            });
        });
    }

    /** The host did not take the build cast: the next host while attempts remain, else the failure. */
    private CompletableFuture<Server> notTaken(Server placed, Throwable error) {
        Throwable cause = Failures.unwrap(error);
        String host = placed.host();
        if (!(cause instanceof NoRouteException)) {
            forgetOn(host, placed.id()); // not a clear "not delivered": the host may have it after all
        }
        if (placed.attempts() < properties.maxScheduleAttempts()
                && registry.updateIf(placed.id(), s -> s.buildingOn(host, placed.attempts()),
                        s -> s.failedByHost(clock.instant())).isPresent()) {
            log.info("Host {} did not take the build of {} ({}); scheduling it again", host, placed.id(),
                    cause.getMessage());
            return place(placed.id());
        }
        return CompletableFuture.failedFuture(error instanceof UpstreamException ? error
                : new UpstreamException("compute", "build_instance", cause));
    }

    /** Best effort: a host that may hold a build it was given up on deletes it, so its room is not leaked. */
    private void forgetOn(String host, String id) {
        cloud.deleteInstance(host, id).whenComplete((ok, error) -> {
            if (error != null) {
                log.debug("Host {} did not take the delete of abandoned build {}: {}", host, id,
                        Failures.unwrap(error).getMessage());
            }
        });
    }

    private Server refresh(Server server, InstanceInfo info) {
        if (info.status() == InstanceStatus.ACTIVE) {
            return registry.updateIf(server.id(), s -> s.buildingOn(server.host(), server.attempts()),
                    s -> s.active(clock.instant())).orElseGet(() -> registry.find(server.id()).orElse(server));
        }
        return server;
    }

    private Server require(String id) {
        return registry.find(id).orElseThrow(() -> new ServerNotFoundException(id));
    }

    private static boolean isBuildCast(Throwable cause) {
        return cause instanceof UpstreamException u && "build_instance".equals(u.method());
    }

    /** The remote side's own words when there are some (the scheduler's NoValidHost reason). */
    private static String describe(Throwable cause) {
        Throwable inner = cause instanceof UpstreamException u && u.getCause() != null ? u.getCause() : cause;
        if (inner instanceof RemoteException remote && remote.remoteMessage() != null) {
            return remote.remoteMessage();
        }
        return cause.getMessage();
    }
}
