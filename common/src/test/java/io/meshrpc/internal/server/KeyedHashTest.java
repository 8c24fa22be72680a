package io.meshrpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeyedHashTest {

    private final KeyedHash hashes = new KeyedHash(0x9E3779B97F4A7C15L);

    @Test
    void stringsWhoseTermsOnlyDifferByLeadingZerosOrAnOddEndHashApart() {
        List<String> texts = List.of("ab", "\u0000\u0000ab", "abc", "ab\u0000c", "", "\u0000", "\u0000\u0000");
        assertThat(texts.stream().mapToInt(t -> hashes.of(t, t.length())).distinct()).hasSize(texts.size());
    }

    @Test
    void onlyTheGivenLengthCounts() {
        assertThat(hashes.of("stem-1f", 5)).isEqualTo(hashes.of("stem-", 5));
    }

    @Test
    void eachKeyGivesOtherHashes() {
        KeyedHash other = new KeyedHash(0x5851F42D4C957F2DL);
        assertThat(other.of("4f1c9a7be203d58e6a-", 19)).isNotEqualTo(hashes.of("4f1c9a7be203d58e6a-", 19));
        assertThat(other.of(12345L)).isNotEqualTo(hashes.of(12345L));
    }

    @Test
    void anEvenKeyIsRefused() {
        assertThatThrownBy(() -> new KeyedHash(2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(KeyedHash.random().key() & 1).isEqualTo(1);
    }
}
