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

    /**
     * Applies {@code change} atomically if the server still satisfies {@code when}; empty if it does
     * not (another path changed it first) or is gone. Two paths that both see a host fail (its
     * ERROR event and the build deadline) race here, and only one of them reschedules.
     */
    Optional<Server> updateIf(String id, java.util.function.Predicate<Server> when, UnaryOperator<Server> change) {
        Server[] changed = new Server[1];
        servers.computeIfPresent(id, (k, s) -> {
            if (!when.test(s)) {
                return s;
            }
            changed[0] = change.apply(s);
            return changed[0];
        });
        return Optional.ofNullable(changed[0]);
    }

    void remove(String id) {
        servers.remove(id);
    }

    /** Every server, in no order (cheaper than {@link #all()} for a sweep). */
    java.util.Collection<Server> snapshot() {
        return List.copyOf(servers.values());
    }

    /** Every server, oldest first. */
    public List<Server> all() {
        return servers.values().stream().sorted(Comparator.comparing(Server::created).thenComparing(Server::id))
                .toList();
    }
}
