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
        // Each sighting is a new string, as a decoded id is: an id forgotten and then recorded again
        // stays for its own turn in the ring, not the turn of the string recorded first.
        int capacity = 64;
        DedupWindow window = new DedupWindow(capacity);
        java.util.ArrayDeque<String> order = new java.util.ArrayDeque<>();
        java.util.Map<String, String> reference = new java.util.HashMap<>(); // id -> the string recorded
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n < 1_000_000; n++) {
            int drawn = random.nextInt(200);
            // most ids kept as characters, some too long for that, some beyond Latin-1: kept as strings
            String id = "4f1c9a7be203d58e6a-" + Integer.toHexString(drawn)
                    + (drawn % 7 == 0 ? "-" + "x".repeat(DedupWindow.INLINE_CHARACTERS) : "")
                    + (drawn % 11 == 0 ? "-\u20ac" : "");
            if (random.nextInt(20) == 0) {
                window.forget(id);
                reference.remove(id);
                continue;
            }
            boolean expected = !reference.containsKey(id);
            assertThat(window.firstSeen(id)).as("sighting %d of %s", n, id).isEqualTo(expected);
            if (expected) {
                reference.put(id, id);
                order.add(id);
                if (order.size() > capacity) {
                    String oldest = order.poll();
                    if (reference.get(oldest) == oldest) { // only if it is still that very string
                        reference.remove(oldest);
                    }
                }
            }
            assertThat(window.size()).isEqualTo(reference.size());
        }
    }

    @Test
    void idsWithTheSameHashCodeAreToldApartAndEachLeavesInItsTurn() {
        // "Aa" and "BB" share a hash code, and so does every string made of such pairs
        String[] same = {"AaAa", "AaBB", "BBAa", "BBBB"};
        assertThat(java.util.Arrays.stream(same).mapToInt(String::hashCode).distinct()).hasSize(1);
        DedupWindow window = new DedupWindow(3);

        assertThat(window.firstSeen(same[0])).isTrue();
        assertThat(window.firstSeen(same[1])).isTrue();
        assertThat(window.firstSeen(same[2])).isTrue();
        assertThat(window.firstSeen(new String(same[1]))).as("an equal string, not the same one").isFalse();
        assertThat(window.firstSeen(same[3])).as("evicts the oldest").isTrue();

        assertThat(window.firstSeen(same[0])).as("the oldest is gone").isTrue();
        assertThat(window.firstSeen(same[2])).as("closing the gaps kept the others findable").isFalse();
        assertThat(window.firstSeen(same[3])).isFalse();
        assertThat(window.size()).isEqualTo(3);
    }

    @Test
    void idsKeptAsCharactersAndAsStringsAreToldApartExactly() {
        DedupWindow window = new DedupWindow(8);
        String inline = "x".repeat(DedupWindow.INLINE_CHARACTERS);
        String longer = inline + "y";
        String beyondLatin1 = "ab\u0162"; // its low bytes spell "abb"

        assertThat(window.firstSeen(inline)).isTrue();
        assertThat(window.firstSeen(longer)).isTrue();
        assertThat(window.firstSeen(beyondLatin1)).isTrue();
        assertThat(window.firstSeen("abb")).as("same low bytes, another id").isTrue();
        assertThat(window.firstSeen("\u00e9t\u00e9")).as("Latin-1 beyond ASCII, kept as characters").isTrue();

        assertThat(window.firstSeen(new String(inline))).isFalse();
        assertThat(window.firstSeen(new String(longer))).isFalse();
        assertThat(window.firstSeen(new String(beyondLatin1))).isFalse();
        assertThat(window.firstSeen("abb")).isFalse();
        assertThat(window.firstSeen("\u00e9t\u00e9")).isFalse();
        assertThat(window.firstSeen(inline.substring(1))).as("a prefix is another id").isTrue();
    }

    @Test
    void consecutiveEnvelopeIdsSpreadOverTheTableInsteadOfFillingRuns() {
        // Envelope ids are a prefix and a counter, so their hash codes are nearly consecutive. Placed
        // by linear probing in a table twice the window's size (as the window does), they must take
        // about one look each; hashed as they come, they took about thirty.
        io.meshrpc.wire.IdGenerator ids = new io.meshrpc.wire.IdGenerator();
        int slots = 1 << 18;
        boolean[] used = new boolean[slots];
        long looks = 0;
        int placed = 100_000;
        for (int i = 0; i < placed; i++) {
            int slot = DedupWindow.hash(ids.next()) & (slots - 1);
            for (looks++; used[slot]; looks++) {
                slot = (slot + 1) & (slots - 1);
            }
            used[slot] = true;
        }
        assertThat((double) looks / placed).as("looks per id").isLessThan(2.0);
    }

    @Test
    void aCapacityOutsideTheLimitsIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DedupWindow(0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DedupWindow(DedupWindow.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
