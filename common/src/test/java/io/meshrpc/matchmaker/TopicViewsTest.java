package io.meshrpc.matchmaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.protocol.Member;
import io.meshrpc.matchmaker.protocol.TopicState;
import io.meshrpc.matchmaker.protocol.WatchAnswer;

/** How watch answers change the view a node routes by (the service's side: {@code docs/matchmaker-api.md}). */
class TopicViewsTest {

    private final TopicViews view = new TopicViews();

    private static Member member(String id, String policy) {
        return new Member(id, "tcp://127.0.0.1:" + (9500 + id.length()), List.of("zmq", "amqp"), null, policy);
    }

    private static WatchAnswer snapshot(long revision, Map<String, TopicState> topics) {
        return new WatchAnswer(revision, true, topics);
    }

    private static WatchAnswer delta(long revision, Map<String, TopicState> topics) {
        return new WatchAnswer(revision, null, topics);
    }

    private static List<String> ids(List<NodeRef> nodes) {
        return nodes.stream().map(NodeRef::nodeId).toList();
    }

    @Test
    void aSnapshotGivesEveryTopicAskedForItsMembersInIdOrderAndItsPolicy() {
        view.apply(snapshot(10, Map.of("compute", new TopicState("amqp", List.of(member("c2", null),
                member("c1", "zmq")), null), "idle", new TopicState(null, null, null))), Set.of("compute", "idle"),
                false);

        assertThat(ids(view.lookup("compute"))).containsExactly("c1", "c2");
        assertThat(view.lookup("idle")).isEmpty();
        assertThat(view.holds("idle")).as("an empty topic is a view too").isTrue();
        assertThat(view.policy("c1", "compute")).as("the node's override wins").contains(DeliveryPolicy.ZMQ);
        assertThat(view.policy("c2", "compute")).contains(DeliveryPolicy.AMQP);
        assertThat(view.policy(null, "compute")).contains(DeliveryPolicy.AMQP);
        assertThat(view.policy("c1", "other")).as("a topic not watched: nothing known").isEmpty();
        assertThat(view.revisions()).containsExactly(Map.entry("compute", 10L), Map.entry("idle", 10L));
        assertThat(view.overrides().topics()).containsExactly(Map.entry("compute", DeliveryPolicy.AMQP));
        assertThat(view.overrides().nodes()).containsExactly(Map.entry("c1", DeliveryPolicy.ZMQ));
    }

    @Test
    void aDeltaAddsChangesAndRemovesMembersAndMovesEveryTopicOfTheWatchToItsRevision() {
        view.apply(snapshot(10, Map.of("compute", new TopicState(null, List.of(member("c1", null),
                member("c2", null)), null), "sched", new TopicState(null, List.of(member("s1", null)), null))),
                Set.of("compute", "sched"), false);

        view.apply(delta(12, Map.of("compute", new TopicState("zmq-first", List.of(member("c3", null),
                member("c1", "amqp")), List.of("c2")))), Set.of("compute", "sched"), false);

        assertThat(ids(view.lookup("compute"))).containsExactly("c1", "c3");
        assertThat(view.policy("c1", "compute")).contains(DeliveryPolicy.AMQP);
        assertThat(view.policy("c3", "compute")).contains(DeliveryPolicy.ZMQ_FIRST);
        assertThat(ids(view.lookup("sched"))).containsExactly("s1");
        assertThat(view.revisions()).as("nothing else changed on sched up to 12")
                .containsExactly(Map.entry("compute", 12L), Map.entry("sched", 12L));
    }

    @Test
    void aNodeIsFoundByIdFromAnyWatchedTopicUntilItLeftThemAll() {
        view.apply(snapshot(10, Map.of("compute", new TopicState(null, List.of(member("c1", null), member("both", null)),
                null), "sched", new TopicState(null, List.of(member("s1", null), member("both", null)), null))),
                Set.of("compute", "sched"), false);

        assertThat(view.node("c1")).map(NodeRef::endpoint).contains(member("c1", null).endpoint());
        assertThat(view.node("s1")).isPresent();
        assertThat(view.node("both")).isPresent();
        assertThat(view.node("nobody")).isEmpty();

        view.apply(delta(11, Map.of("compute", new TopicState(null, null, List.of("both", "c1")))),
                Set.of("compute", "sched"), false);
        assertThat(view.node("c1")).as("it left its only topic").isEmpty();
        assertThat(view.node("both")).as("still in sched").isPresent();

        view.apply(delta(12, Map.of("sched", new TopicState(null, null, List.of("both")))),
                Set.of("compute", "sched"), false);
        assertThat(view.node("both")).isEmpty();
    }

    @Test
    void policiesAreReadOnceAsTheServiceSentThemAndAnUnknownOneCountsAsNone() {
        view.apply(snapshot(10, Map.of("compute", new TopicState("ZMQ_FIRST", List.of(member("c1", "carrier-pigeon"),
                member("c2", "amqp")), null))), Set.of("compute"), false);

        assertThat(view.policy("c1", "compute")).as("unknown own override: the topic's").contains(DeliveryPolicy.ZMQ_FIRST);
        assertThat(view.policy("c2", "compute")).contains(DeliveryPolicy.AMQP);
        assertThat(view.overrides().nodes()).containsExactly(Map.entry("c2", DeliveryPolicy.AMQP));
    }

    @Test
    void anAnswerNoNewerThanWhatIsHeldForATopicIsNotApplied() {
        view.apply(snapshot(20, Map.of("compute", new TopicState(null, List.of(member("c1", null)), null))),
                Set.of("compute"), false);

        view.apply(delta(15, Map.of("compute", new TopicState(null, null, List.of("c1")))), Set.of("compute"),
                false);
        view.apply(snapshot(20, Map.of("compute", new TopicState(null, null, null))), Set.of("compute"), false);

        assertThat(ids(view.lookup("compute"))).containsExactly("c1");
        assertThat(view.revisions()).containsEntry("compute", 20L);
    }

    @Test
    void aNewerSnapshotReplacesWhatWasHeldForItsTopicsOnly() {
        view.apply(snapshot(20, Map.of("compute", new TopicState("amqp", List.of(member("c1", "zmq")), null),
                "sched", new TopicState(null, List.of(member("s1", null)), null))), Set.of("compute", "sched"), false);

        view.apply(snapshot(30, Map.of("compute", new TopicState(null, List.of(member("c9", null)), null))),
                Set.of("compute"), false);

        assertThat(ids(view.lookup("compute"))).containsExactly("c9");
        assertThat(view.policy("c1", "compute")).isEmpty();
        assertThat(ids(view.lookup("sched"))).containsExactly("s1");
        assertThat(view.revisions()).containsExactly(Map.entry("compute", 30L), Map.entry("sched", 20L));
    }

    @Test
    void aSnapshotFromAServiceThatWentBackInTimeReplacesEvenNewerData() {
        view.apply(snapshot(50, Map.of("compute", new TopicState(null, List.of(member("c1", null)), null))),
                Set.of("compute"), false);

        view.apply(snapshot(45, Map.of("compute", new TopicState(null, List.of(member("c2", null)), null))),
                Set.of("compute"), true);

        assertThat(ids(view.lookup("compute"))).containsExactly("c2");
        assertThat(view.revisions()).containsEntry("compute", 45L);
    }

    @Test
    void aDeltaForATopicWithoutASnapshotIsIgnored() {
        view.apply(delta(5, Map.of("compute", new TopicState(null, List.of(member("c1", null)), null))),
                Set.of("compute"), false);

        assertThat(view.holds("compute")).isFalse();
        assertThat(view.revisions()).isEmpty();
    }

    @Test
    void aNodeIsFoundByIdInAnyWatchedTopicOrInTheTopicNamed() {
        view.apply(snapshot(10, Map.of("compute", new TopicState(null, List.of(member("c1", null)), null),
                "sched", new TopicState(null, List.of(member("s1", null)), null))), Set.of("compute", "sched"), false);

        assertThat(view.node("s1")).map(NodeRef::nodeId).contains("s1");
        assertThat(view.node("compute", "c1")).map(NodeRef::endpoint).contains(member("c1", null).endpoint());
        assertThat(view.node("compute", "s1")).as("not a member of compute").isEmpty();
    }

    @Test
    void aWaitForASnapshotEndsWhenItIsAppliedOrWhenItsTimeIsUp() throws Exception {
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                () -> view.awaitSnapshot("compute", Duration.ofSeconds(30)));
        view.apply(snapshot(10, Map.of("compute", new TopicState(null, List.of(member("c1", null)), null))),
                Set.of("compute"), false);

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(view.awaitSnapshot("compute", Duration.ZERO)).as("held: no wait").isTrue();
        assertThat(view.awaitSnapshot("never", Duration.ofMillis(20))).isFalse();
    }
}
