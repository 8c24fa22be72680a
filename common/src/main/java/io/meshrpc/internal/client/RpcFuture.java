package io.meshrpc.internal.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The future handed to applications. It is completed on the transport's I/O thread, which is the
 * fastest path to a caller blocked in {@code get()} or {@code join()}: one wake-up, no hand-off.
 * So that application code can never run on (and stall) that thread, every dependent stage runs on
 * the node's callback executor, even those added with the non-{@code Async} methods. A caller
 * blocked in {@code join()} or {@code get()} may spin for a while before it parks ({@link CallerSpin}).
 */
public class RpcFuture<T> extends CompletableFuture<T> {

    private final Executor callbacks;
    /** Null for none: a cast's future, made per cast, carries no spin object of its own. */
    private final CallerSpin spin;

    /** A future whose blocked callers park at once. */
    public RpcFuture(Executor callbacks) {
        this(callbacks, null);
    }

    /** @param spin how a caller blocked on it waits first; null to park at once */
    public RpcFuture(Executor callbacks, CallerSpin spin) {
        this.callbacks = callbacks;
        this.spin = spin;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new RpcFuture<>(callbacks, spin);
    }

    @Override
    public T join() {
        if (spin != null) {
            spin.await(this, Long.MAX_VALUE);
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (spin != null) {
            spin.await(this, Long.MAX_VALUE);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (spin == null) {
            return super.get(timeout, unit);
        }
        long limit = unit.toNanos(timeout);
        long start = System.nanoTime();
        spin.await(this, limit);
        return super.get(limit - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
    }

    @Override
    public Executor defaultExecutor() {
        return callbacks;
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        return thenApplyAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
        return thenAcceptAsync(action, callbacks);
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        return thenRunAsync(action, callbacks);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
                                                   BiFunction<? super T, ? super U, ? extends V> fn) {
        return thenCombineAsync(other, fn, callbacks);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
                                                      BiConsumer<? super T, ? super U> action) {
        return thenAcceptBothAsync(other, action, callbacks);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return runAfterBothAsync(other, action, callbacks);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return applyToEitherAsync(other, fn, callbacks);
    }

    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return acceptEitherAsync(other, action, callbacks);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return runAfterEitherAsync(other, action, callbacks);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return thenComposeAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return whenCompleteAsync(action, callbacks);
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return handleAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return exceptionallyAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return exceptionallyComposeAsync(fn, callbacks);
    }
}
