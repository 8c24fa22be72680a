package io.meshrpc.actuate;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.NodeReport;

/**
 * {@code /actuator/meshrpc}: what this node does with its messages, and the operator's lever on it.
 *
 * <p>{@code GET} serves the node's {@link NodeReport}: its state, its transports, the delivery
 * policies and where each comes from, every ZeroMQ peer (connected or marked down) with its state,
 * last ACK and un-ACKed count, the counts per path, the queues (dispatch, broker confirms), the
 * dedup window and the matchmaker's registration and cache age.
 * {@code POST /actuator/meshrpc/topics/{topic}} (or {@code nodes/{nodeId}}) with
 * {@code {"policy":"zmq-first"}} overrides a policy on this node at once; {@code DELETE} on the same
 * path removes the override. Fleet-wide changes belong in the matchmaker; this is for one sender,
 * and works while the matchmaker is down.
 */
@Endpoint(id = "meshrpc")
public class MeshrpcEndpoint {

    private final MeshNode node;

    public MeshrpcEndpoint(MeshNode node) {
        this.node = node;
    }

    /** The result of a policy change. */
    public record PolicyChange(String scope, String name, String policy) {
    }

    @ReadOperation
    public NodeReport report() {
        return node.report();
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
        return new PolicyChange(scope, name, parsed.wireName());
    }

    @DeleteOperation
    public PolicyChange clearPolicy(@Selector String scope, @Selector String name) {
        apply(scope, name, null);
        return new PolicyChange(scope, name, null);
    }

    private void apply(String scope, String name, DeliveryPolicy policy) {
        switch (scope) {
            case "topics" -> node.routing().overrideTopic(name, policy);
            case "nodes" -> node.routing().overrideNode(name, policy);
            default -> throw new InvalidEndpointRequestException("Unknown scope '" + scope
                    + "': use /actuator/meshrpc/topics/{topic} or /actuator/meshrpc/nodes/{nodeId}", "bad scope");
        }
    }
}
