package io.meshrpc.gateway.servers;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.meshrpc.services.compute.InstanceStatus;

/**
 * {@code /api/v1/servers} (docs/gateway-api.md). Handlers return futures: a servlet thread never waits on
 * the mesh, and every future ends within the gateway's RPC deadlines.
 */
@RestController
@RequestMapping("/api/v1/servers")
public class ServersController {

    private final ServerService servers;
    private final LostHosts hosts;

    public ServersController(ServerService servers, LostHosts hosts) {
        this.hosts = hosts;
        this.servers = servers;
    }

    /** The list answer: {@code {"count": n, "servers": [...]}}. */
    public record ServerList(int count, List<ServerView> servers) {
    }

    /** The boot answer: what was accepted; the server is BUILDING until its host says otherwise. */
    public record Accepted(String id, InstanceStatus status, String name, String host) {
    }

    @PostMapping
    public CompletableFuture<ResponseEntity<Accepted>> create(@RequestBody CreateServerRequest request) {
        return servers.create(request).thenApply(s -> ResponseEntity.accepted()
                .location(URI.create("/api/v1/servers/" + s.id()))
                .body(new Accepted(s.id(), InstanceStatus.BUILDING, s.name(), s.host())));
    }

    @GetMapping
    public ServerList list() {
        List<ServerView> all = servers.registry().all().stream().map(s -> ServerView.of(s, hosts)).toList();
        return new ServerList(all.size(), all);
    }

    @GetMapping("/{id}")
    public CompletableFuture<ServerView> show(@PathVariable String id) {
        return servers.show(id).thenApply(s -> ServerView.of(s, hosts));
    }

    @DeleteMapping("/{id}")
    public CompletableFuture<ResponseEntity<Void>> delete(@PathVariable String id) {
        return servers.delete(id).thenApply(ok -> ResponseEntity.noContent().build());
    }

    @PostMapping("/{id}/console")
    public CompletableFuture<ConsoleView> console(@PathVariable String id) {
        return servers.console(id);
    }
}
