package io.meshrpc.gateway.servers;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.meshrpc.api.Failures;
import io.meshrpc.api.NoRouteException;
import io.meshrpc.gateway.GatewayProperties;
import io.meshrpc.gateway.errors.ServerConflictException;
import io.meshrpc.gateway.errors.ServerNotFoundException;
import io.meshrpc.gateway.rpc.Cloud;
import io.meshrpc.gateway.rpc.UpstreamException;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.gateway.InstanceEvent;
import io.meshrpc.services.scheduler.BuildRequest;

/**
 * What the servers API does, over the mesh.
 *
 * <p>Boot: call the scheduler, then cast {@code build_instance} to the chosen host; the request is
 * answered once the host (or its broker queue) accepted the cast, and the server turns ACTIVE
 * when the host says so. A host that does not accept the cast, or later refuses the build for
 * want of room, is excluded and the instance is scheduled again, up to
 * {@code gateway.max-schedule-attempts} hosts (Nova's reschedule). If the first placement fails
 * outright the request fails (503/504) and nothing is kept; a later failed reschedule leaves the
 * server in ERROR with the reason.
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

    /** Boots a server; completes with it as accepted (BUILDING, placed). */
    public CompletableFuture<Server> create(CreateServerRequest request) {
        request.validate();
        Server server = new Server(UUID.randomUUID().toString(), request.name().strip(), request.vcpus(),
                request.ramMb(), InstanceStatus.BUILDING, null, null, java.util.List.of(), clock.instant(),
                clock.instant());
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
        switch (event.status()) {
            case ACTIVE -> registry.update(server.id(), s -> s.withStatus(InstanceStatus.ACTIVE, null, clock.instant()));
            case DELETED -> registry.remove(server.id());
            case ERROR -> onError(server, event);
            case BUILDING -> { }
        }
    }

    private void onError(Server server, InstanceEvent event) {
        if (event.retryable() && server.triedHosts().size() + 1 < properties.maxScheduleAttempts()) {
            log.info("Host {} refused server {} ({}); scheduling it again", event.host(), server.id(), event.reason());
            registry.update(server.id(), s -> s.refusedBy(event.host(), clock.instant()));
            place(server.id()).whenComplete((placed, error) -> {
                if (error != null) {
                    fail(server.id(), Failures.unwrap(error).getMessage());
                }
            });
        } else {
            fail(server.id(), event.reason());
        }
    }

    private void fail(String id, String reason) {
        registry.update(id, s -> s.withStatus(InstanceStatus.ERROR, reason, clock.instant()));
    }

    /** Schedules the server and casts the build to the chosen host; on a host that does not take the cast, the next. */
    private CompletableFuture<Server> place(String id) {
        Server server = require(id);
        BuildRequest request = new BuildRequest(id, server.vcpus(), server.ramMb(), server.triedHosts());
        return cloud.selectDestination(request).thenCompose(destination -> {
            Server placed = registry.update(id, s -> s.placedOn(destination.host(), clock.instant()))
                    .orElseThrow(() -> new ServerNotFoundException(id));
            return cloud.buildInstance(destination.host(), placed.spec()).thenApply(ok -> placed)
                    .exceptionallyCompose(error -> retryElsewhere(placed, error));
        });
    }

    private CompletableFuture<Server> retryElsewhere(Server placed, Throwable error) {
        boolean notTaken = Failures.unwrap(error) instanceof NoRouteException;
        if (notTaken && placed.triedHosts().size() + 1 < properties.maxScheduleAttempts()) {
            log.info("Host {} did not take the build of {}; scheduling it again", placed.host(), placed.id());
            registry.update(placed.id(), s -> s.refusedBy(placed.host(), clock.instant()));
            return place(placed.id());
        }
        return CompletableFuture.failedFuture(error instanceof UpstreamException ? error
                : new UpstreamException("compute", "build_instance", error));
    }

    private Server refresh(Server server, InstanceInfo info) {
        if (info.status() == InstanceStatus.ACTIVE) {
            return registry.update(server.id(), s -> s.withStatus(InstanceStatus.ACTIVE, null, clock.instant()))
                    .orElse(server);
        }
        return server;
    }

    private Server require(String id) {
        return registry.find(id).orElseThrow(() -> new ServerNotFoundException(id));
    }
}
