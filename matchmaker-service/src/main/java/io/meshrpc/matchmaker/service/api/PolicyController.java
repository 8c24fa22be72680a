package io.meshrpc.matchmaker.service.api;

import io.meshrpc.matchmaker.service.policy.DeliveryPolicy;
import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.policy.PolicyService;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Delivery-policy overrides per topic and per node (DESIGN §5). A node override may be set before the node
 * registers, so that it applies from the node's first lookup.
 */
@RestController
@RequestMapping("/api/v1/policies")
public class PolicyController {

    private final PolicyService policies;

    public PolicyController(PolicyService policies) {
        this.policies = policies;
    }

    @GetMapping
    public PoliciesView all() {
        return new PoliciesView(policies.all(PolicyScope.TOPIC), policies.all(PolicyScope.NODE));
    }

    @PutMapping("/topics/{topic}")
    public PolicyOverrideView setTopic(@PathVariable String topic, @RequestBody PolicyRequest body) {
        TopicController.checkTopic(topic);
        DeliveryPolicy policy = parse(body);
        policies.set(PolicyScope.TOPIC, topic, policy);
        return new PolicyOverrideView(topic, null, policy);
    }

    @GetMapping("/topics/{topic}")
    public PolicyOverrideView getTopic(@PathVariable String topic) {
        TopicController.checkTopic(topic);
        return policies.get(PolicyScope.TOPIC, topic).map(p -> new PolicyOverrideView(topic, null, p))
                .orElseThrow(() -> new NotFoundException("topic", "no policy override for topic '" + topic + "'"));
    }

    @DeleteMapping("/topics/{topic}")
    public ResponseEntity<Void> deleteTopic(@PathVariable String topic) {
        TopicController.checkTopic(topic);
        if (policies.remove(PolicyScope.TOPIC, topic).isEmpty()) {
            throw new NotFoundException("topic", "no policy override for topic '" + topic + "'");
        }
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/nodes/{nodeId}")
    public PolicyOverrideView setNode(@PathVariable String nodeId, @RequestBody PolicyRequest body) {
        NodeController.checkNodeId(nodeId);
        DeliveryPolicy policy = parse(body);
        policies.set(PolicyScope.NODE, nodeId, policy);
        return new PolicyOverrideView(null, nodeId, policy);
    }

    @GetMapping("/nodes/{nodeId}")
    public PolicyOverrideView getNode(@PathVariable String nodeId) {
        NodeController.checkNodeId(nodeId);
        return policies.get(PolicyScope.NODE, nodeId).map(p -> new PolicyOverrideView(null, nodeId, p))
                .orElseThrow(() -> new NotFoundException("nodeId", "no policy override for node '" + nodeId + "'"));
    }

    @DeleteMapping("/nodes/{nodeId}")
    public ResponseEntity<Void> deleteNode(@PathVariable String nodeId) {
        NodeController.checkNodeId(nodeId);
        if (policies.remove(PolicyScope.NODE, nodeId).isEmpty()) {
            throw new NotFoundException("nodeId", "no policy override for node '" + nodeId + "'");
        }
        return ResponseEntity.noContent().build();
    }

    private static DeliveryPolicy parse(PolicyRequest body) {
        if (body.policy() == null) {
            throw new InvalidInputException("policy", "a policy is required: " + DeliveryPolicy.wireNames());
        }
        return DeliveryPolicy.fromWire(body.policy()).orElseThrow(() -> new InvalidInputException("policy",
                "unknown policy '" + Checks.abbreviate(body.policy()) + "': " + DeliveryPolicy.wireNames()));
    }
}
