package io.meshrpc.matchmaker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class WatchAnswerJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void unchangedAnswerIsJustTheRevision() {
        assertThat(json.writeValueAsString(new WatchAnswer(42, null, Map.of()))).isEqualTo("{\"revision\":42}");
    }

    @Test
    void deltaLeavesOutAbsentPoliciesKeysAndEmptyLists() {
        WatchAnswer answer = new WatchAnswer(7, null, Map.of("compute", new TopicState(null,
                List.of(new Member("compute-3", "tcp://10.0.0.3:9501", List.of("zmq", "amqp"), null, "amqp")),
                List.of())));
        assertThat(json.writeValueAsString(answer)).isEqualTo("{\"revision\":7,\"topics\":{\"compute\":{\"set\":"
                + "[{\"nodeId\":\"compute-3\",\"endpoint\":\"tcp://10.0.0.3:9501\",\"transports\":[\"zmq\",\"amqp\"],"
                + "\"policy\":\"amqp\"}]}}}");
    }

    @Test
    void snapshotReadsBackWithMissingListsAsEmptyAndUnknownFieldsIgnored() {
        WatchAnswer answer = json.readValue("{\"revision\":9,\"full\":true,\"topics\":{\"idle\":{},"
                + "\"compute\":{\"policy\":\"zmq-first\",\"set\":[{\"nodeId\":\"c1\",\"transports\":[\"amqp\"]}]}},"
                + "\"later\":1}", WatchAnswer.class);
        assertThat(answer.fullSnapshot()).isTrue();
        assertThat(answer.topics().get("idle").set()).isEmpty();
        assertThat(answer.topics().get("compute").policy()).isEqualTo("zmq-first");
        assertThat(answer.topics().get("compute").set()).extracting(Member::endpoint).containsExactly((String) null);
    }
}
