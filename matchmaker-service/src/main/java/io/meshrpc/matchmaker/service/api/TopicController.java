package io.meshrpc.matchmaker.service.api;

import java.util.ArrayList;
import java.util.List;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.service.policy.PolicyScope;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Topic lookups: what senders ask. */
@RestController
@RequestMapping("/api/v1/topics")
public class TopicController {

    private final NodeRegistry registry;
    private final PolicyService policies;

    public TopicController(NodeRegistry registry, PolicyService policies) {
        this.registry = registry;
        this.policies = policies;
    }

    @GetMapping
    public TopicsView topics() {
        List<TopicSummary> topics = new ArrayList<>();
        registry.liveNodesPerTopic().forEach((topic, count) -> topics.add(
                new TopicSummary(topic, count, policies.get(PolicyScope.TOPIC, topic).orElse(null))));
        return new TopicsView(topics);
    }

    /** The live nodes of the topic; a topic nobody serves answers an empty list, not 404. */
    @GetMapping("/{topic}")
    public TopicView topic(@PathVariable String topic) {
        checkTopic(topic);
        DeliveryPolicy topicPolicy = policies.get(PolicyScope.TOPIC, topic).orElse(null);
        List<TopicMember> members = registry.live(topic).stream()
                .map(n -> new TopicMember(n.nodeId(), NodeState.of(n), n.endpoint(), n.transports(), n.publicKey(),
                        policies.get(PolicyScope.NODE, n.nodeId()).orElse(topicPolicy), n.expiresAt()))
                .toList();
        return new TopicView(topic, topicPolicy, members);
    }

    static void checkTopic(String topic) {
        List<Violation> violations = new ArrayList<>(1);
        Checks.topic("topic", topic, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }
}
