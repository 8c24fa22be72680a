package io.meshrpc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A blocked caller's spin ({@code meshrpc.caller-spin}). The budgets are an hour, so that only the
 * future's completion can end a spin, none, or a millisecond where a spin must run out; {@code @Timeout}
 * catches a spin that should not have happened. Whether a caller spun or parked at once is told by how
 * often it asked its future whether it was done: once means it did not spin.
 */
@Timeout(30)
class CallerSpinTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aSpinningCallerSeesTheResultCompletedWhileItSpins() throws Exception {
        CallerSpin spin = new CallerSpin(HOUR);
        CompletableFuture<String> call = new CompletableFuture<>();

        Future<Boolean> spun = threads.submit(() -> spin.await(call, Long.MAX_VALUE));
        Awaitility.await().until(spin::spinning);
        call.complete("reply");

        assertThat(spun.get()).as("the future was done when the spin ended").isTrue();
        assertThat(spin.spinning()).isFalse();
    }

    @Test
    void aSecondCallerParksAtOnceWhileAnotherSpins() throws Exception {
        CallerSpin spin = new CallerSpin(HOUR);
        CompletableFuture<String> first = new CompletableFuture<>();
        threads.submit(() -> spin.await(first, Long.MAX_VALUE));
        Awaitility.await().until(spin::spinning);

        boolean secondSpun = spin.await(new CompletableFuture<>(), Long.MAX_VALUE);

        assertThat(secondSpun).isFalse();
        assertThat(spin.spinning()).as("the first still spins").isTrue();
        first.complete("done");
        Awaitility.await().until(() -> !spin.spinning());
    }

    @Test
    void withoutABudgetACallerDoesNotSpin() {
        CallerSpin spin = new CallerSpin(Duration.ZERO);

        assertThat(spin.await(new CompletableFuture<>(), Long.MAX_VALUE)).isFalse();
        assertThat(spin.spinning()).isFalse();
    }

    @Test
    void aSpinEndsAtTheCallersOwnLimitAndLetsTheNextCallerSpin() {
        CallerSpin spin = new CallerSpin(HOUR);

        assertThat(spin.await(new CompletableFuture<>(), TimeUnit.MILLISECONDS.toNanos(1))).isFalse();
        assertThat(spin.spinning()).isFalse();
    }

    @Test
    void anInterruptEndsTheSpinAndGetThrowsInterruptedException() throws Exception {
        CallerSpin spin = new CallerSpin(HOUR);
        RpcFuture<String> call = new RpcFuture<>(Runnable::run, spin);
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                call.get();
            } catch (Exception ex) {
                thrown.set(ex);
            }
        });
        caller.start();
        Awaitility.await().until(spin::spinning);

        caller.interrupt();
        caller.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(spin.spinning()).isFalse();
    }

    @Test
    void aTimedGetOnARpcFutureStillTimesOutAfterItsSpin() {
        RpcFuture<String> call = new RpcFuture<>(Runnable::run, new CallerSpin(HOUR));

        assertThatThrownBy(() -> call.get(5, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void joinOnARpcFutureReturnsTheResultCompletedWhileItSpins() throws Exception {
        CallerSpin spin = new CallerSpin(HOUR);
        RpcFuture<String> call = new RpcFuture<>(Runnable::run, spin);

        Future<String> joined = threads.submit(call::join);
        Awaitility.await().until(spin::spinning);
        call.complete("reply");

        assertThat(joined.get()).isEqualTo("reply");
    }

    @Test
    void aSpinThatRunsOutParksTheNextCallAtOnceAndTheOneAfterThatSpinsAgain() {
        CallerSpin spin = new CallerSpin(Duration.ofMillis(1));
        assertThat(spin.await(ScriptedFuture.never(), Long.MAX_VALUE)).as("ran out").isFalse();

        ScriptedFuture parked = ScriptedFuture.never();
        assertThat(spin.await(parked, Long.MAX_VALUE)).isFalse();
        assertThat(parked.checks).as("looked once, did not spin").isEqualTo(1);

        ScriptedFuture next = ScriptedFuture.doneAtCheck(3);
        assertThat(spin.await(next, Long.MAX_VALUE)).as("spun and saw its reply").isTrue();
    }

    @Test
    void missesInARowDoubleTheCallsParkedAtOnceUpToSixtyFour() {
        CallerSpin spin = new CallerSpin(Duration.ofMillis(1));
        List<Integer> parkedRuns = new ArrayList<>();
        int parked = 0;
        for (int call = 0; parkedRuns.size() < 9; call++) {
            ScriptedFuture future = ScriptedFuture.never();
            spin.await(future, Long.MAX_VALUE);
            if (future.checks == 1) {
                parked++;
            } else if (call > 0) {
                parkedRuns.add(parked);
                parked = 0;
            }
        }

        assertThat(parkedRuns).containsExactly(1, 2, 4, 8, 16, 32, 64, 64, 64);
    }

    @Test
    void aSpinThatSeesItsReplyStartsTheCountOver() {
        CallerSpin spin = new CallerSpin(Duration.ofMillis(1));
        spin.await(ScriptedFuture.never(), Long.MAX_VALUE); // miss: one call parks
        spin.await(ScriptedFuture.never(), Long.MAX_VALUE); // parked
        spin.await(ScriptedFuture.never(), Long.MAX_VALUE); // second miss: two calls park
        spin.await(ScriptedFuture.never(), Long.MAX_VALUE);
        spin.await(ScriptedFuture.never(), Long.MAX_VALUE);
        assertThat(spin.await(ScriptedFuture.doneAtCheck(3), Long.MAX_VALUE)).isTrue();

        spin.await(ScriptedFuture.never(), Long.MAX_VALUE); // a first miss again
        ScriptedFuture parked = ScriptedFuture.never();
        spin.await(parked, Long.MAX_VALUE);
        ScriptedFuture spunAgain = ScriptedFuture.never();
        spin.await(spunAgain, Long.MAX_VALUE);

        assertThat(parked.checks).as("one call parked, as after a first miss").isEqualTo(1);
        assertThat(spunAgain.checks).isGreaterThan(1);
    }

    @Test
    void aSpinEndedByTheCallersOwnLimitIsNoMiss() {
        CallerSpin spin = new CallerSpin(HOUR);
        spin.await(ScriptedFuture.never(), TimeUnit.MILLISECONDS.toNanos(1));

        ScriptedFuture next = ScriptedFuture.never();
        spin.await(next, TimeUnit.MILLISECONDS.toNanos(1));

        assertThat(next.checks).as("the next caller spun").isGreaterThan(1);
    }

    @Test
    void anInterruptedSpinIsNoMiss() {
        CallerSpin spin = new CallerSpin(Duration.ofMillis(1));
        Thread.currentThread().interrupt();
        spin.await(ScriptedFuture.never(), Long.MAX_VALUE);
        assertThat(Thread.interrupted()).as("the interrupt is left for get() to throw").isTrue();

        ScriptedFuture next = ScriptedFuture.never();
        spin.await(next, Long.MAX_VALUE);

        assertThat(next.checks).as("the next caller spun").isGreaterThan(1);
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> new CallerSpin(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caller-spin");
    }

    /** A future that is done from its n-th {@code isDone()} on, and counts how often it was asked. */
    private static final class ScriptedFuture extends CompletableFuture<Object> {
        private final int doneAt;
        int checks;

        private ScriptedFuture(int doneAt) {
            this.doneAt = doneAt;
        }

        static ScriptedFuture never() {
            return new ScriptedFuture(Integer.MAX_VALUE);
        }

        static ScriptedFuture doneAtCheck(int check) {
            return new ScriptedFuture(check);
        }

        @Override
        public boolean isDone() {
            return ++checks >= doneAt;
        }
    }
}
