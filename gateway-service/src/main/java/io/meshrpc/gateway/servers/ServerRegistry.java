package io.meshrpc.gateway.servers;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Component;

/**
 * The servers this gateway knows, in memory. One gateway is the source of truth for the servers
 * booted through it (the demo runs one); state changes reach every gateway by fanout.
 */
@Component
public class ServerRegistry {

    private final Map<String, Server> servers = new ConcurrentHashMap<>();

    void add(Server server) {
        servers.put(server.id(), server);
    }

    public Optional<Server> find(String id) {
        return Optional.ofNullable(servers.get(id));
    }

    /** Applies {@code change} atomically; empty if the server is gone. */
    Optional<Server> update(String id, UnaryOperator<Server> change) {
        return Optional.ofNullable(servers.computeIfPresent(id, (k, s) -> change.apply(s)));
    }

    void remove(String id) {
        servers.remove(id);
    }

    /** Every server, oldest first. */
    public List<Server> all() {
        return servers.values().stream().sorted(Comparator.comparing(Server::created).thenComparing(Server::id))
                .toList();
    }
}
