package io.meshrpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void buildsTopicServerAndFanoutTargets() {
        assertThat(Target.topic("scheduler")).isEqualTo(new Target("scheduler", null, false));
        assertThat(Target.topic("compute").server("compute-3")).isEqualTo(new Target("compute", "compute-3", false));
        assertThat(Target.fanout("compute")).isEqualTo(new Target("compute", null, true));
        assertThat(Target.topic("compute").server("host@backend").server()).isEqualTo("host@backend");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Scheduler", "sched uler", "a/b", "topic#1",
            "x123456789012345678901234567890123456789012345678901234567890123456"})
    void rejectsABadTopicNamingIt(String topic) {
        assertThatThrownBy(() -> Target.topic(topic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid topic '" + topic + "'").hasMessageContaining("[a-z0-9_.-]");
    }

    @Test
    void rejectsANullTopic() {
        assertThatThrownBy(() -> Target.topic(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid topic 'null'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "compute 1", "compute/1", "c:1"})
    void rejectsABadServerNamingIt(String server) {
        assertThatThrownBy(() -> Target.topic("compute").server(server)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid server '" + server + "'");
    }

    @Test
    void aTargetCannotBeBothServerAndFanout() {
        assertThatThrownBy(() -> new Target("compute", "c1", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fanout");
    }
}
