package io.meshrpc.launcher.ops;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.http.Http;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's servers counted by status, and those in ERROR by fault code, for {@code bin/demo
 * status}: where an agent that died or restarted empty shows as {@code ERROR (HOST_LOST 3)}.
 *
 * @param byStatus  servers per status
 * @param byFault   servers in ERROR per {@code faultCode}
 */
public record ServerCounts(Map<String, Integer> byStatus, Map<String, Integer> byFault) {

    private static final Http HTTP = new Http(Duration.ofSeconds(3));

    /** The counts, or empty when the cluster has no gateway or it does not answer. */
    public static Optional<ServerCounts> read(ClusterState state) {
        return state.of(ServiceKind.GATEWAY).stream().filter(p -> p.alive()).findFirst().flatMap(gateway -> {
            try {
                Http.Reply reply = HTTP.get(gateway.baseUrl() + "/api/v1/servers");
                return reply.ok() && reply.body() != null ? Optional.of(of(reply.body().path("servers")))
                        : Optional.empty();
            } catch (IOException ex) {
                return Optional.empty();
            }
        });
    }

    static ServerCounts of(JsonNode servers) {
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byFault = new TreeMap<>();
        for (JsonNode server : servers) {
            String status = server.path("status").asString("?");
            byStatus.merge(status, 1, Integer::sum);
            if ("ERROR".equals(status)) {
                byFault.merge(server.path("faultCode").asString("unknown"), 1, Integer::sum);
            }
        }
        return new ServerCounts(byStatus, byFault);
    }

    /** {@code 12 ACTIVE, 3 ERROR (HOST_LOST 3)}, or {@code none}. */
    public String describe() {
        if (byStatus.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        byStatus.forEach((status, count) -> {
            out.append(out.isEmpty() ? "" : ", ").append(count).append(' ').append(status);
            if ("ERROR".equals(status) && !byFault.isEmpty()) {
                out.append(" (");
                byFault.forEach((fault, n) -> out.append(out.charAt(out.length() - 1) == '(' ? "" : ", ")
                        .append(fault).append(' ').append(n));
                out.append(')');
            }
        });
        return out.toString();
    }
}
