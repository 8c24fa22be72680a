package io.meshrpc.matchmaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheMaximumEachDrawnBetweenHalfAndAllOfItsStep() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700));

        long[] steps = {100, 200, 400, 700, 700};
        for (long step : steps) {
            assertThat(backoff.nextDelayMillis()).isBetween(step / 2, step);
        }
    }

    @Test
    void aSuccessStartsTheNextFailuresFromTheFirstStepAgain() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
        for (int i = 0; i < 6; i++) {
            backoff.nextDelayMillis();
        }

        backoff.reset();

        assertThat(backoff.nextDelayMillis()).isBetween(50L, 100L);
    }
}
