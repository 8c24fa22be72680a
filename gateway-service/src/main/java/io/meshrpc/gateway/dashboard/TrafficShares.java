package io.meshrpc.gateway.dashboard;

import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/** Message counts per transport as the matchmaker reports them, and the share of each transport. */
final class TrafficShares {

    private TrafficShares() {
    }

    /** {@code {"zmq":12,"amqp":3}}: the counts that are numbers and not negative; anything else counts nothing. */
    static Map<String, Long> counts(JsonNode perTransport) {
        Map<String, Long> out = new TreeMap<>();
        if (perTransport.isObject()) {
            perTransport.properties().forEach(e -> {
                if (e.getValue().isNumber() && e.getValue().asDouble() >= 0) {
                    out.put(e.getKey(), e.getValue().asLong());
                }
            });
        }
        return out;
    }

    /** Fraction of all messages (sent + received) per transport; empty when there were none. */
    static Map<String, Double> share(Map<String, Long> sent, Map<String, Long> received) {
        Map<String, Long> both = new TreeMap<>(sent);
        received.forEach((k, v) -> both.merge(k, v, Long::sum));
        long total = both.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> share = new TreeMap<>();
        if (total > 0) {
            both.forEach((k, v) -> share.put(k, (double) v / total));
        }
        return share;
    }
}
