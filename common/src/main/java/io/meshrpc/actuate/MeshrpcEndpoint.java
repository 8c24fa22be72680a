package io.meshrpc.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.meshrpc.metrics.RpcMetrics;
import io.meshrpc.node.MeshNode;
import io.meshrpc.routing.DeliveryPolicy;
import io.meshrpc.routing.PolicyResolver;
import io.meshrpc.transport.amqp.AmqpTransport;
import io.meshrpc.transport.zmq.ZmqTransport;
import io.micrometer.core.instrument.Counter;

/**
 * {@code /actuator/meshrpc}: what this node does with its messages, and the operator's lever on it.
 *
 * <p>{@code GET} shows the node's transports, the delivery policies and where each comes from,
 * the peers marked down, and the counts per path. {@code POST /actuator/meshrpc/topics/{topic}}
 * (or {@code nodes/{nodeId}}) with {@code {"policy":"zmq-first"}} overrides a policy on this node at
 * once; {@code DELETE} on the same path removes the override. Fleet-wide changes belong in the
 * matchmaker; this is for one sender, and works while the matchmaker is down.
 */
@Endpoint(id = "meshrpc")
public class MeshrpcEndpoint {

    private final MeshNode node;

    public MeshrpcEndpoint(MeshNode node) {
        this.node = node;
    }

    /** The whole report. */
    public record Report(String nodeId, Map<String, Object> transports, Map<String, Object> policies,
                         Map<String, Object> peersDown, Map<String, Object> traffic, Map<String, Object> dispatch,
                         Long matchmakerCacheAgeMillis) {
    }

    /** The result of a policy change. */
    public record PolicyChange(String scope, String name, String policy) {
    }

    @ReadOperation
    public Report report() {
        PolicyResolver policies = node.router().policies();
        Map<String, Object> transports = new LinkedHashMap<>();
        transports.put(ZmqTransport.NAME, Map.of("endpoint", String.valueOf(node.endpoint())));
        AmqpTransport amqp = node.amqp();
        transports.put(AmqpTransport.NAME, amqp == null ? Map.of("enabled", false)
                : Map.of("enabled", true, "running", amqp.isRunning()));
        Map<String, Object> policyView = new LinkedHashMap<>();
        policyView.put("default", policies.defaultPolicy().value());
        policyView.put("configuredTopics", values(policies.configuredTopics()));
        policyView.put("overrides", Map.of("topics", values(policies.topicOverrides()),
                "nodes", values(policies.nodeOverrides())));
        Map<String, Object> served = new TreeMap<>();
        if (node.endpoints() != null) {
            for (String topic : node.endpoints().topics()) {
                PolicyResolver.Resolved r = policies.resolve(topic, null);
                served.put(topic, Map.of("policy", r.policy().value(), "source", r.source()));
            }
        }
        policyView.put("servedTopics", served);
        Map<String, Object> down = new TreeMap<>(node.router().health().downPeers());
        Map<String, Object> dispatch = node.dispatcher() == null ? Map.of()
                : Map.of("queueDepth", node.dispatcher().queueDepth(),
                        "oldestQueuedMillis", node.dispatcher().oldestQueuedAge().toMillis());
        Long cacheAge = node.matchmakerCacheAge().map(java.time.Duration::toMillis).orElse(null);
        return new Report(node.nodeId(), transports, policyView, down, traffic(), dispatch, cacheAge);
    }

    @WriteOperation
    public PolicyChange setPolicy(@Selector String scope, @Selector String name, String policy) {
        DeliveryPolicy parsed;
        try {
            parsed = DeliveryPolicy.of(policy);
        } catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), "bad policy");
        }
        apply(scope, name, parsed);
        return new PolicyChange(scope, name, parsed.value());
    }

    @DeleteOperation
    public PolicyChange clearPolicy(@Selector String scope, @Selector String name) {
        apply(scope, name, null);
        return new PolicyChange(scope, name, null);
    }

    private void apply(String scope, String name, DeliveryPolicy policy) {
        PolicyResolver policies = node.router().policies();
        switch (scope) {
            case "topics" -> policies.overrideTopic(name, policy);
            case "nodes" -> policies.overrideNode(name, policy);
            default -> throw new InvalidEndpointRequestException("Unknown scope '" + scope
                    + "': use /actuator/meshrpc/topics/{topic} or /actuator/meshrpc/nodes/{nodeId}", "bad scope");
        }
    }

    /** Messages per transport and outcome, sent and received, and failovers per reason. */
    private Map<String, Object> traffic() {
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("sent", sumBy(RpcMetrics.SENT, "transport", "outcome"));
        traffic.put("received", sumBy(RpcMetrics.RECEIVED, "transport", "outcome"));
        traffic.put("failovers", sumBy(RpcMetrics.FAILOVERS, "reason", null));
        return traffic;
    }

    private Map<String, Object> sumBy(String meter, String firstTag, String secondTag) {
        Map<String, Object> out = new TreeMap<>();
        for (Counter c : node.metrics().registry().find(meter).counters()) {
            String first = c.getId().getTag(firstTag);
            if (secondTag == null) {
                out.merge(first, (long) c.count(), (a, b) -> (Long) a + (Long) b);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>) out.computeIfAbsent(first, k -> new TreeMap<>());
                inner.merge(c.getId().getTag(secondTag), (long) c.count(), (a, b) -> (Long) a + (Long) b);
            }
        }
        return out;
    }

    private static Map<String, String> values(Map<String, DeliveryPolicy> policies) {
        Map<String, String> out = new TreeMap<>();
        policies.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }
}
