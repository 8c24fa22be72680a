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

    @Test
    void agreesWithASetOfTheLastIdsOverAMillionRandomSightingsAndForgets() {
        // A small window over few distinct ids: long probe runs, many evictions and gaps to close.
        int capacity = 64;
        DedupWindow window = new DedupWindow(capacity);
        java.util.ArrayDeque<String> order = new java.util.ArrayDeque<>();
        java.util.Set<String> reference = new java.util.HashSet<>();
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n < 1_000_000; n++) {
            String id = "4f1c9a7be203d58e6a-" + Integer.toHexString(random.nextInt(200));
            if (random.nextInt(20) == 0) {
                window.forget(id);
                reference.remove(id);
                continue;
            }
            boolean expected = !reference.contains(id);
            assertThat(window.firstSeen(id)).as("sighting %d of %s", n, id).isEqualTo(expected);
            if (expected) {
                reference.add(id);
                order.add(id);
                if (order.size() > capacity) {
                    reference.remove(order.poll());
                }
            }
            assertThat(window.size()).isEqualTo(reference.size());
        }
    }
}
