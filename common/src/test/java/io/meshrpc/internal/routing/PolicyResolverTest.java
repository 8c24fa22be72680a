package io.meshrpc.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/** The order a message's delivery policy is decided in (docs/routing.md). */
class PolicyResolverTest {

    /** A directory with an override for node {@code c1} and for topic {@code sched}. */
    private static final Matchmaker DIRECTORY = new Matchmaker() {
        @Override
        public List<NodeRef> lookup(String topic) {
            return List.of();
        }

        @Override
        public Optional<NodeRef> node(String nodeId) {
            return Optional.empty();
        }

        @Override
        public Optional<DeliveryPolicy> policy(String nodeId, String topic) {
            if ("c1".equals(nodeId)) {
                return Optional.of(DeliveryPolicy.AMQP);
            }
            return "sched".equals(topic) ? Optional.of(DeliveryPolicy.ZMQ) : Optional.empty();
        }
    };

    private final PolicyResolver policies = new PolicyResolver(DeliveryPolicy.ZMQ_FIRST,
            Map.of("compute", DeliveryPolicy.ZMQ, "sched", DeliveryPolicy.AMQP), DIRECTORY);

    @Test
    void theMatchmakerWinsOverConfigurationWhichWinsOverTheDefault() {
        assertThat(policies.resolve("compute", "c1"))
                .isEqualTo(new PolicyResolver.Resolved(DeliveryPolicy.AMQP, "matchmaker"));
        assertThat(policies.resolve("sched", "s1"))
                .isEqualTo(new PolicyResolver.Resolved(DeliveryPolicy.ZMQ, "matchmaker"));
        assertThat(policies.resolve("compute", "c2"))
                .isEqualTo(new PolicyResolver.Resolved(DeliveryPolicy.ZMQ, "meshrpc.routing.topics.compute"));
        assertThat(policies.resolve("other", null))
                .isEqualTo(new PolicyResolver.Resolved(DeliveryPolicy.ZMQ_FIRST, "meshrpc.routing.default-policy"));
    }

    @Test
    void localOverridesWinOverTheMatchmakerTheNodesFirstAndClearAgain() {
        policies.overrideTopic("compute", DeliveryPolicy.ZMQ_FIRST);
        assertThat(policies.resolve("compute", "c1"))
                .isEqualTo(new PolicyResolver.Resolved(DeliveryPolicy.ZMQ_FIRST, "override:topic"));
        policies.overrideNode("c1", DeliveryPolicy.ZMQ);
        assertThat(policies.policy("compute", "c1")).isEqualTo(DeliveryPolicy.ZMQ);
        assertThat(policies.resolve("compute", "c1").source()).isEqualTo("override:node");

        policies.overrideNode("c1", null);
        policies.overrideTopic("compute", null);
        assertThat(policies.resolve("compute", "c1").source()).isEqualTo("matchmaker");
        assertThat(policies.nodeOverrides()).isEmpty();
        assertThat(policies.topicOverrides()).isEmpty();
    }
}
