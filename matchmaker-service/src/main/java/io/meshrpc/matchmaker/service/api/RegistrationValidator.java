package io.meshrpc.matchmaker.service.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.protocol.NodeRegistrationRequest;
import io.meshrpc.matchmaker.service.MatchmakerProperties;
import io.meshrpc.matchmaker.service.registry.Registration;
import io.meshrpc.matchmaker.service.registry.Transport;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/** Checks a whole registration and turns it into a {@link Registration}, or throws with every violation. */
@Component
public class RegistrationValidator {

    static final int MAX_TOPICS = 256;
    static final int MAX_STATS_BYTES = MatchmakerProtocol.MAX_STATS_BYTES;

    private final MatchmakerProperties properties;
    private final JsonMapper jsonMapper;

    public RegistrationValidator(MatchmakerProperties properties, JsonMapper jsonMapper) {
        this.properties = properties;
        this.jsonMapper = jsonMapper;
    }

    /** Checks the body of a stats report: a JSON object of at most {@value #MAX_STATS_BYTES} bytes. */
    public void checkStats(Map<String, Object> stats) {
        List<Violation> violations = new ArrayList<>(1);
        if (stats == null) {
            violations.add(new Violation("stats", "a JSON object of traffic counts is required"));
        }
        checkStats(stats, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

    private void checkStats(Map<String, Object> stats, List<Violation> violations) {
        if (stats != null && jsonMapper.writeValueAsBytes(stats).length > MAX_STATS_BYTES) {
            violations.add(new Violation("stats", "stats must be at most " + MAX_STATS_BYTES + " bytes of JSON"));
        }
    }

    public Registration validate(String nodeId, NodeRegistrationRequest body) {
        List<Violation> violations = new ArrayList<>();
        Checks.nodeId("nodeId", nodeId, violations);

        List<String> topics = body.topics();
        if (topics == null || topics.isEmpty()) {
            violations.add(new Violation("topics", "at least one topic is required"));
        } else if (topics.size() > MAX_TOPICS) {
            violations.add(new Violation("topics", "at most " + MAX_TOPICS + " topics per node"));
        } else {
            for (int i = 0; i < topics.size(); i++) {
                Checks.topic("topics[" + i + "]", topics.get(i), violations);
            }
        }

        Set<Transport> transports = new LinkedHashSet<>();
        if (body.transports() == null) {
            transports.add(Transport.ZMQ);
            transports.add(Transport.AMQP);
        } else if (body.transports().isEmpty()) {
            violations.add(new Violation("transports", "at least one transport is required: zmq, amqp"));
        } else {
            for (int i = 0; i < body.transports().size(); i++) {
                String name = body.transports().get(i);
                Optional<Transport> t = Transport.fromWire(name);
                if (t.isEmpty()) {
                    violations.add(new Violation("transports[" + i + "]",
                            "unknown transport '" + Checks.abbreviate(String.valueOf(name)) + "': zmq or amqp"));
                } else {
                    transports.add(t.get());
                }
            }
        }

        if (body.endpoint() != null) {
            Checks.endpoint("endpoint", body.endpoint(), violations);
        } else if (transports.contains(Transport.ZMQ)) {
            violations.add(new Violation("endpoint", "a node that receives on zmq needs its endpoint tcp://host:port"));
        }

        Duration ttl = properties.defaultTtl();
        if (body.ttlSeconds() != null) {
            long max = properties.maxTtl().toSeconds();
            if (body.ttlSeconds() < 1 || body.ttlSeconds() > max) {
                violations.add(new Violation("ttlSeconds", "ttlSeconds must be 1.." + max + ", was " + body.ttlSeconds()));
            } else {
                ttl = Duration.ofSeconds(body.ttlSeconds());
            }
        }

        Checks.publicKey("publicKey", body.publicKey(), violations);

        checkStats(body.stats(), violations);

        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new Registration(List.copyOf(new LinkedHashSet<>(topics)), body.endpoint(), List.copyOf(transports),
                body.publicKey(), body.stats(), ttl);
    }
}
