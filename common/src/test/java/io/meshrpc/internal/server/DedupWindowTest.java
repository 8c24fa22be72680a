package io.meshrpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DedupWindowTest {

    @Test
    void secondSightingOfAnIdIsADuplicate() {
        DedupWindow window = new DedupWindow(10);
        assertThat(window.firstSeen("a")).isTrue();
        assertThat(window.firstSeen("a")).isFalse();
    }

    @Test
    void oldestIdIsForgottenWhenTheWindowIsFull() {
        DedupWindow window = new DedupWindow(3);
        window.firstSeen("a");
        window.firstSeen("b");
        window.firstSeen("c");
        window.firstSeen("d");
        assertThat(window.firstSeen("b")).as("still in the window").isFalse();
        assertThat(window.firstSeen("a")).as("evicted by d").isTrue();
    }

    @Test
    void forgottenIdIsAcceptedAgain() {
        DedupWindow window = new DedupWindow(3);
        window.firstSeen("a");
        window.forget("a");
        assertThat(window.firstSeen("a")).isTrue();
    }
}
