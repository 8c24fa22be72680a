package io.meshrpc.matchmaker.service.revision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ChangeHistoryTest {

    private final ChangeHistory history = new ChangeHistory(3, 100);
    private final LocalChangeLog log = new LocalChangeLog(history);

    @Test
    void changesAfterARevisionAreThoseOfTheTopicsAskedFor() {
        log.append(Set.of("c1"), Set.of("compute"));
        log.append(Set.of(), Set.of("scheduler"));
        log.append(Set.of("c2"), Set.of("compute", "cells"));

        assertThat(history.after(100, Set.of("compute")).orElseThrow()).extracting(Change::revision)
                .containsExactly(101L, 103L);
        assertThat(history.after(101, Set.of("scheduler")).orElseThrow()).extracting(Change::revision)
                .containsExactly(102L);
        assertThat(history.after(103, Set.of("compute")).orElseThrow()).isEmpty();
    }

    @Test
    void revisionsOlderThanTheKeptChangesOrNewerThanTheCurrentOneAreUnknown() {
        for (int i = 0; i < 5; i++) {
            log.append(Set.of("n" + i), Set.of("compute"));
        }
        // 101..105 recorded, the last three kept: from 102 on every later change is known
        assertThat(history.knows(101)).isFalse();
        assertThat(history.after(101, Set.of("compute"))).isEmpty();
        assertThat(history.knows(102)).isTrue();
        assertThat(history.knows(105)).isTrue();
        assertThat(history.knows(106)).isFalse();
    }

    @Test
    void resetMakesEveryEarlierRevisionUnknown() {
        log.append(Set.of("c1"), Set.of("compute"));
        history.reset(50);
        assertThat(history.current()).isEqualTo(50);
        assertThat(history.knows(101)).isFalse();
        assertThat(history.knows(50)).isTrue();
    }

    @Test
    void listenersHearEveryChangeOnceInOrderAndAReplayedOneIsIgnored() {
        List<Long> heard = new ArrayList<>();
        history.onChange(c -> heard.add(c.revision()));
        log.append(Set.of("c1"), Set.of("compute"));
        log.append(Set.of("c2"), Set.of("compute"));
        assertThat(history.record(new Change(101, Set.of("c1"), Set.of("compute")))).isFalse();
        assertThat(heard).containsExactly(101L, 102L);
    }
}
