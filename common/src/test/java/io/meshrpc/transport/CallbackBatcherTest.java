package io.meshrpc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

class CallbackBatcherTest {

    /** The pool: counts the tasks it is given and runs them at once. */
    private final List<Runnable> handed = new CopyOnWriteArrayList<>();
    private final Executor pool = task -> {
        handed.add(task);
        task.run();
    };
    private final CallbackBatcher batcher = new CallbackBatcher(pool);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void callbacksOnTheOpeningThreadAreHandedToThePoolAsOneTaskAtTheFlush() {
        batcher.open();
        batcher.execute(() -> ran.add("a"));
        batcher.execute(() -> ran.add("b"));
        assertThat(ran).as("nothing runs before the flush").isEmpty();

        batcher.flush();

        assertThat(ran).containsExactly("a", "b");
        assertThat(handed).hasSize(1);
        batcher.close();
    }

    @Test
    void callbacksFromAnotherThreadGoStraightToThePool() throws Exception {
        batcher.open();
        Thread other = new Thread(() -> batcher.execute(() -> ran.add("other")));
        other.start();
        other.join();

        assertThat(ran).containsExactly("other");
        assertThat(handed).hasSize(1);
        batcher.close();
    }

    @Test
    void afterCloseAnotherThreadMayCollectAndTheFirstNoLonger() throws Exception {
        batcher.open();
        batcher.close();
        Thread other = new Thread(() -> {
            batcher.open();
            batcher.execute(() -> ran.add("collected"));
            assertThat(ran).isEmpty();
            batcher.close();
        });
        other.start();
        other.join();
        batcher.execute(() -> ran.add("direct"));

        assertThat(ran).containsExactly("collected", "direct");
        assertThat(handed).hasSize(2);
    }
}
