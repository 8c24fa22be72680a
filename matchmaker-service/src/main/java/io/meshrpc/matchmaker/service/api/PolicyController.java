package io.meshrpc.matchmaker.service.api;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.protocol.PolicyRequest;
import io.meshrpc.matchmaker.service.policy.PolicyChange;
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
 * Delivery-policy overrides per topic and per node. A node override may be set before the node registers, so that
 * it applies from the node's first lookup. Every write answers the revision of its change in
 * {@value MatchmakerProtocol#REVISION_HEADER}: a sender whose view reached it applies the new policy.
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
    public ResponseEntity<PolicyOverrideView> setTopic(@PathVariable String topic, @RequestBody PolicyRequest body) {
        TopicController.checkTopic(topic);
        DeliveryPolicy policy = parse(body);
        PolicyChange change = policies.set(PolicyScope.TOPIC, topic, policy);
        return ResponseEntity.ok().header(MatchmakerProtocol.REVISION_HEADER, revision(change)).body(new PolicyOverrideView(topic, null, policy));
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
        PolicyChange change = policies.remove(PolicyScope.TOPIC, topic);
        if (change.previous().isEmpty()) {
            throw new NotFoundException("topic", "no policy override for topic '" + topic + "'");
        }
        return ResponseEntity.noContent().header(MatchmakerProtocol.REVISION_HEADER, revision(change)).build();
    }

    @PutMapping("/nodes/{nodeId}")
    public ResponseEntity<PolicyOverrideView> setNode(@PathVariable String nodeId, @RequestBody PolicyRequest body) {
        NodeController.checkNodeId(nodeId);
        DeliveryPolicy policy = parse(body);
        PolicyChange change = policies.set(PolicyScope.NODE, nodeId, policy);
        return ResponseEntity.ok().header(MatchmakerProtocol.REVISION_HEADER, revision(change)).body(new PolicyOverrideView(null, nodeId, policy));
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
        PolicyChange change = policies.remove(PolicyScope.NODE, nodeId);
        if (change.previous().isEmpty()) {
            throw new NotFoundException("nodeId", "no policy override for node '" + nodeId + "'");
        }
        return ResponseEntity.noContent().header(MatchmakerProtocol.REVISION_HEADER, revision(change)).build();
    }

    private static String revision(PolicyChange change) {
        return Long.toString(change.revision());
    }

    private static DeliveryPolicy parse(PolicyRequest body) {
        if (body.policy() == null) {
            throw new InvalidInputException("policy", "a policy is required: " + DeliveryPolicy.wireNames());
        }
        return DeliveryPolicy.fromWire(body.policy()).orElseThrow(() -> new InvalidInputException("policy",
                "unknown policy '" + Checks.abbreviate(body.policy()) + "': " + DeliveryPolicy.wireNames()));
    }
}
