package io.meshrpc.matchmaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class RingFileMatchmakerTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void readsTheTalksRingFile() {
        Matchmaker mm = RingFileMatchmaker.parse(
                "{ \"scheduler\": [ \"sched1\", \"sched2\" ], \"consoleauth\": [ \"cauth1\", \"cauth2\" ] }", mapper, 9501);
        assertThat(mm.lookup("scheduler")).containsExactly(new NodeRef("sched1", "tcp://sched1:9501"),
                new NodeRef("sched2", "tcp://sched2:9501"));
        assertThat(mm.node("cauth2")).contains(new NodeRef("cauth2", "tcp://cauth2:9501"));
        assertThat(mm.lookup("compute")).isEmpty();
    }

    @Test
    void readsTheExtendedShapeWithEndpoints() {
        Matchmaker mm = RingFileMatchmaker.parse("{\"topics\": {\"scheduler\": [\"sched1\", \"sched2\"]},"
                + " \"endpoints\": {\"sched1\": \"tcp://127.0.0.1:9601\"}}", mapper, 9501);
        assertThat(mm.lookup("scheduler")).containsExactly(new NodeRef("sched1", "tcp://127.0.0.1:9601"),
                new NodeRef("sched2", "tcp://sched2:9501"));
    }

    @Test
    void aTopicNotMappedToAnArrayIsRefusedNamingIt() {
        assertThatThrownBy(() -> RingFileMatchmaker.parse("{\"scheduler\": \"sched1\"}", mapper, 9501))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'scheduler'");
    }

    @Test
    void aBadEndpointIsRefusedNamingTheHost() {
        assertThatThrownBy(() -> RingFileMatchmaker.parse("{\"topics\": {\"s\": [\"h\"]}, \"endpoints\": {\"h\": \"h:1\"}}",
                mapper, 9501)).hasMessageContaining("'h'").hasMessageContaining("tcp://host:port");
    }

    @Test
    void aBadTopicNameIsRefused() {
        assertThatThrownBy(() -> RingFileMatchmaker.parse("{\"Bad Topic\": [\"h\"]}", mapper, 9501))
                .hasMessageContaining("Invalid topic 'Bad Topic'");
    }
}
