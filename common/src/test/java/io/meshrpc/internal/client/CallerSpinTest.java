package io.meshrpc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
 * A blocked caller's spin ({@code meshrpc.caller-spin}). The budgets are either an hour, so that only
 * the future's completion can end a spin, or none; {@code @Timeout} catches a spin that should not
 * have happened.
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
    void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> new CallerSpin(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caller-spin");
    }
}
