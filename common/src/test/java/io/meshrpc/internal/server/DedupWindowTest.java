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
        String[] stems = {"4f1c9a7be203d58e6a-", "77aa01-", "-", "x-y-"};
        for (int n = 0; n < 1_000_000; n++) {
            String id = drawnId(random, stems);
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
        assertThat(window.stemCount()).as("the stems, in both cases").isLessThanOrEqualTo(2 * stems.length);
    }

    /**
     * A sequenced id of one of {@code stems} with a counter over five entries' worth of counters, or,
     * now and then, one that is kept by its characters: too long for them, beyond Latin-1, or a
     * counter with a leading zero or an upper-case digit, the twin of a sequenced id.
     */
    private static String drawnId(java.util.Random random, String[] stems) {
        int drawn = random.nextInt(320);
        String counter = Integer.toHexString(drawn);
        String id = stems[random.nextInt(stems.length)] + counter;
        return switch (drawn % 13) {
            case 0 -> id + "-" + "x".repeat(DedupWindow.INLINE_CHARACTERS);
            case 1 -> id + "-\u20ac";
            case 2 -> id.substring(0, id.length() - counter.length()) + "0" + counter;
            case 3 -> id.toUpperCase(java.util.Locale.ROOT);
            default -> id;
        };
    }

    @Test
    void onlyALowerCaseHexCounterWithoutLeadingZeroAfterADashMakesASequencedId() {
        assertThat(DedupWindow.stemLength("4f1c9a7be203d58e6a-1f")).isEqualTo(19);
        assertThat(DedupWindow.counter("4f1c9a7be203d58e6a-1f", 19)).isEqualTo(0x1f);
        assertThat(DedupWindow.stemLength("a-0")).as("zero itself").isEqualTo(2);
        assertThat(DedupWindow.stemLength("a-" + "f".repeat(DedupWindow.MAX_COUNTER_DIGITS))).isEqualTo(2);
        assertThat(DedupWindow.stemLength("-" + "f".repeat(DedupWindow.MAX_COUNTER_DIGITS))).isEqualTo(1);
        assertThat(DedupWindow.stemLength("a-" + "1".repeat(DedupWindow.MAX_COUNTER_DIGITS + 1))).as("too long").isZero();
        assertThat(DedupWindow.stemLength("a-01")).as("leading zero").isZero();
        assertThat(DedupWindow.stemLength("a-1F")).as("upper case").isZero();
        assertThat(DedupWindow.stemLength("a-")).as("no counter").isZero();
        assertThat(DedupWindow.stemLength("1f")).as("no dash").isZero();
        assertThat(DedupWindow.stemLength("a-1g")).isZero();
        assertThat(DedupWindow.stemLength("550e8400-e29b-41d4-a716-446655440000")).as("a UUID's last group").isZero();
        assertThat(DedupWindow.stemLength("s".repeat(DedupWindow.MAX_STEM - 1) + "-1")).isEqualTo(DedupWindow.MAX_STEM);
        assertThat(DedupWindow.stemLength("s".repeat(DedupWindow.MAX_STEM) + "-1")).as("stem too long").isZero();
    }

    @Test
    void idsThatOnlyLookSequencedAreToldApartFromTheirTwins() {
        DedupWindow window = new DedupWindow(16);
        String[] ids = {"s-a", "s-0a", "s-A", "s-a-", "s-", "S-a", "s\u20ac-a", "t-a", "s-b", "s-4a",
            "s-" + "a".repeat(DedupWindow.MAX_COUNTER_DIGITS + 1)};
        for (String id : ids) {
            assertThat(window.firstSeen(id)).as("first %s", id).isTrue();
        }
        for (String id : ids) {
            assertThat(window.firstSeen(new String(id))).as("again %s", id).isFalse();
        }
        assertThat(window.size()).isEqualTo(ids.length);
    }

    @Test
    void consecutiveIdsOfOneSenderShareTableEntriesAndLeaveInTheirTurn() {
        io.meshrpc.wire.IdGenerator ids = new io.meshrpc.wire.IdGenerator();
        DedupWindow window = new DedupWindow(1_000);
        String[] sent = new String[5_000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = ids.next();
            assertThat(window.firstSeen(sent[i])).isTrue();
        }
        // 1,000 consecutive counters span at most 17 entries of 64
        assertThat(window.tableEntries()).isLessThanOrEqualTo(1_000 / 64 + 2);
        assertThat(window.stemCount()).isEqualTo(1);
        assertThat(window.firstSeen(new String(sent[sent.length - 1_000]))).as("the oldest held").isFalse();
        assertThat(window.firstSeen(new String(sent[sent.length - 1_001]))).as("one older").isTrue();
    }

    @Test
    void aStemIsForgottenWithTheLastIdThatUsedIt() {
        DedupWindow window = new DedupWindow(100);
        for (int sender = 0; sender < 10_000; sender++) {
            window.firstSeen("sender" + sender + "-1");
            window.firstSeen("sender" + sender + "-2");
        }
        assertThat(window.stemCount()).as("the last 50 senders' two ids").isEqualTo(50);
        for (int i = 1; i <= 100; i++) {
            window.firstSeen("last-" + Integer.toHexString(i));
        }
        assertThat(window.stemCount()).isEqualTo(1);
        assertThat(window.tableEntries()).isEqualTo(2); // counters 1-63 and 64-100
    }

    @Test
    void aForgottenSequencedIdRecordedAgainStaysForItsOwnTurn() {
        DedupWindow window = new DedupWindow(3);
        window.firstSeen("s-1");
        window.forget("s-1");
        window.firstSeen("s-2");
        assertThat(window.firstSeen("s-1")).as("the retry").isTrue();
        window.firstSeen("s-3"); // takes the forgotten sighting's place: the retry stays
        assertThat(window.firstSeen("s-1")).isFalse();
        window.firstSeen("s-4"); // evicts s-2
        assertThat(window.firstSeen("s-1")).isFalse();
        assertThat(window.firstSeen("s-2")).isTrue(); // evicts the retry
        assertThat(window.firstSeen("s-1")).isTrue();
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
        // Ids kept by their characters may still be a prefix and a counter (a peer's scheme, say with
        // leading zeros), so their hash codes are nearly consecutive. Placed
        // by linear probing in a table twice the window's size (as the window does), they must take
        // about one look each; hashed as they come, they took about thirty.
        io.meshrpc.wire.IdGenerator ids = new io.meshrpc.wire.IdGenerator();
        DedupWindow window = new DedupWindow(1);
        int slots = 1 << 18;
        boolean[] used = new boolean[slots];
        long looks = 0;
        int placed = 100_000;
        for (int i = 0; i < placed; i++) {
            int slot = window.hash("0" + ids.next()) & (slots - 1); // kept by its characters
            for (looks++; used[slot]; looks++) {
                slot = (slot + 1) & (slots - 1);
            }
            used[slot] = true;
        }
        assertThat((double) looks / placed).as("looks per id").isLessThan(2.0);
    }

    @Test
    void idsMadeToShareAStringHashCodeSpreadOverTheTable() {
        // Every string of 16 pairs, each "Aa" or "BB", has the same String.hashCode: a peer could send
        // 65,536 such ids and make each look-up walk them all. Placed at random in twice as many
        // slots, 65,536 ids take about 51,600 distinct ones.
        DedupWindow window = new DedupWindow(1);
        int slots = 1 << 17;
        java.util.Set<Integer> homes = new java.util.HashSet<>();
        java.util.Set<Integer> stringHashCodes = new java.util.HashSet<>();
        for (int bits = 0; bits < 1 << 16; bits++) {
            StringBuilder id = new StringBuilder();
            for (int pair = 0; pair < 16; pair++) {
                id.append((bits >> pair & 1) == 0 ? "Aa" : "BB");
            }
            homes.add(window.hash(id.toString()) & (slots - 1));
            stringHashCodes.add(id.toString().hashCode());
        }
        assertThat(stringHashCodes).hasSize(1);
        assertThat(homes).hasSizeGreaterThan(45_000);
    }

    @Test
    void aCapacityOutsideTheLimitsIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DedupWindow(0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DedupWindow(DedupWindow.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
