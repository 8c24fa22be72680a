package io.meshrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RecurringStringsTest {

    private final RecurringStrings names = new RecurringStrings();

    @Test
    void theSameBytesGiveTheSameStringOnceDecoded() {
        byte[] frame = "..scheduler..scheduler".getBytes(StandardCharsets.UTF_8);

        String first = names.decode(frame, 2, 9);
        String again = names.decode(frame, 13, 9);

        assertThat(first).isEqualTo("scheduler");
        assertThat(again).isSameAs(first);
    }

    @Test
    void everyStringIsDecodedAndEncodedAsItsBytesSayWhateverTheSlotHeld() {
        // many more strings than slots, so that slots are taken over again and again
        Random random = new Random(7);
        String[] pool = new String[5_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = "topic-" + Integer.toString(random.nextInt(), 36) + (i % 3 == 0 ? "-é€" : "");
        }
        for (int round = 0; round < 100_000; round++) {
            String expected = pool[random.nextInt(pool.length)];
            byte[] bytes = ("xx" + expected + "yy").getBytes(StandardCharsets.UTF_8);
            assertThat(names.decode(bytes, 2, bytes.length - 4)).isEqualTo(expected);
            assertThat(names.encode(expected)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        }
        String longName = "n".repeat(RecurringStrings.MAX_BYTES + 1);
        assertThat(names.encode(longName)).isEqualTo(longName.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStringLongerThanANameIsDecodedEachTime() {
        byte[] bytes = "n".repeat(RecurringStrings.MAX_BYTES + 1).getBytes(StandardCharsets.UTF_8);

        String first = names.decode(bytes, 0, bytes.length);

        assertThat(first).isEqualTo("n".repeat(RecurringStrings.MAX_BYTES + 1));
        assertThat(names.decode(bytes, 0, bytes.length)).isEqualTo(first).isNotSameAs(first);
    }

    @Test
    void aPrefixOfAKnownStringIsAStringOfItsOwn() {
        byte[] bytes = "compute-agent".getBytes(StandardCharsets.UTF_8);
        names.decode(bytes, 0, bytes.length);

        assertThat(names.decode(bytes, 0, 7)).isEqualTo("compute");
        assertThat(names.decode(bytes, 0, bytes.length)).isEqualTo("compute-agent");
    }

    @Test
    void aNameIsEncodedOnceAndItsBytesHandedOutAgain() {
        byte[] first = names.encode("scheduler");

        assertThat(first).isEqualTo("scheduler".getBytes(StandardCharsets.UTF_8));
        assertThat(names.encode(new String("scheduler"))).as("an equal string").isSameAs(first);
    }
}
