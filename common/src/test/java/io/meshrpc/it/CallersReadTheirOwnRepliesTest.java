package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.NoRouteException;
import io.meshrpc.api.RpcTimeoutException;
import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.node.MeshNode;

/**
 * A caller blocked in {@code join()} or {@code get()} on a call's result runs its node's ZeroMQ loop
 * in the I/O thread's place while it waits, and so reads its own reply (leader/follower). These tests
 * pin that, and what must hold around it: the loop always goes back to the I/O thread, whether the
 * reply came, the call timed out, the caller was interrupted or the node stopped meanwhile.
 */
class CallersReadTheirOwnRepliesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestCluster cluster = new TestCluster();
    private final ZContext raw = new ZContext(1);
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private HeldReplies receiver;

    @AfterEach
    void stop() throws InterruptedException {
        if (receiver != null) {
            receiver.stop();
        }
        threads.shutdownNow();
        cluster.close();
        raw.close();
    }

    @Test
    void aCallerBlockedInJoinReadsItsOwnReply() throws Exception {
        MeshNode caller = startWithHeldReplies();
        CompletableFuture<String> call = caller.client().call(heldTarget(), "describe", "vm-1", String.class);
        AtomicReference<Thread> completedBy = new AtomicReference<>();
        // allOf's dependents run on the thread that completes the call, whichever it is
        CompletableFuture.allOf(call).whenComplete((ignored, error) -> completedBy.set(Thread.currentThread()));
        Thread self = Thread.currentThread();
        threads.submit(() -> receiver.releaseOnceRunningTheLoop(self));

        assertThat(call.join()).isEqualTo("vm-1");
        assertThat(completedBy.get()).isSameAs(self);
    }

    @Test
    void theIoThreadTakesTheLoopBackAndServesRequestsOnceTheCallerHasItsReply() throws Exception {
        Compute compute = new Compute("api-1");
        MeshNode caller = cluster.start("api-1", compute);
        MeshNode other = cluster.start("compute-1", new Compute("compute-1"));
        Target toOther = Target.topic("compute").server("compute-1");

        assertThat(caller.client().<String>invoke(toOther, "host", String.class, null).join()).isEqualTo("compute-1");

        // Only the caller's I/O thread can serve these now: this thread waits with a timed get,
        // which leaves the loop alone.
        Target toCaller = Target.topic("compute").server("api-1");
        assertThat(other.client().<String>invoke(toCaller, "host", String.class, null).get(10, TimeUnit.SECONDS))
                .isEqualTo("api-1");
        other.client().cast(toCaller, "buildInstance", "vm-after").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> compute.handled.containsKey("vm-after"));
    }

    @Test
    void callsJoinedFromManyThreadsAtOnceAreEachAnswered() throws Exception {
        cluster.start("compute-1", new Compute("compute-1"));
        MeshNode caller = cluster.start("api-1");
        Target target = Target.topic("compute").server("compute-1");
        int callers = 6;
        int callsEach = 300;

        List<Future<Integer>> answered = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            answered.add(threads.submit(() -> {
                int ok = 0;
                for (int i = 0; i < callsEach; i++) {
                    ok += "compute-1".equals(caller.client().<String>invoke(target, "host", String.class, null).join()) ? 1 : 0;
                }
                return ok;
            }));
        }
        for (Future<Integer> thread : answered) {
            assertThat(thread.get(60, TimeUnit.SECONDS)).isEqualTo(callsEach);
        }
    }

    @Test
    void aCallerWhoseCallTimesOutGetsTheTimeoutAndTheNodeGoesOnServing() throws Exception {
        MeshNode caller = startWithHeldReplies();
        CompletableFuture<String> call = caller.client().call(heldTarget(), "describe", "vm-1", String.class,
                Duration.ofMillis(300));

        assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RpcTimeoutException.class);
        assertServes(caller);
    }

    @Test
    void anInterruptedCallerGetsInterruptedExceptionAndTheNodeGoesOnServing() throws Exception {
        MeshNode caller = startWithHeldReplies();
        CompletableFuture<String> call = caller.client().call(heldTarget(), "describe", "vm-1", String.class);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Thread waiting = new Thread(() -> {
            try {
                call.get();
            } catch (InterruptedException | ExecutionException ex) {
                thrown.set(ex);
            } finally {
                returned.countDown();
            }
        }, "interrupted-caller");
        waiting.start();
        await().atMost(WAIT).until(() -> HeldReplies.runsTheLoop(waiting));

        waiting.interrupt();

        assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertServes(caller);
    }

    @Test
    void stoppingTheNodeWhileACallerRunsTheLoopFailsTheCallAndStopsTheTransport() throws Exception {
        MeshNode caller = startWithHeldReplies();
        CompletableFuture<String> call = caller.client().call(heldTarget(), "describe", "vm-1", String.class);
        Thread self = Thread.currentThread();
        Future<?> stopped = threads.submit(() -> {
            await().atMost(WAIT).until(() -> HeldReplies.runsTheLoop(self));
            caller.stop();
        });

        assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(NoRouteException.class);
        stopped.get(10, TimeUnit.SECONDS);
        assertThat(caller.isRunning()).isFalse();
    }

    private MeshNode startWithHeldReplies() {
        receiver = new HeldReplies(raw.createSocket(SocketType.ROUTER));
        receiver.start();
        cluster.matchmaker().register(new NodeRef("raw-1", receiver.endpoint), Set.of("compute"));
        return cluster.start("api-1");
    }

    private static Target heldTarget() {
        return Target.topic("compute").server("raw-1");
    }

    /** The node still answers calls and its I/O thread still reads its ROUTER. */
    private void assertServes(MeshNode node) throws Exception {
        cluster.start("compute-2", new Compute("compute-2"));
        assertThat(node.client().<String>invoke(Target.topic("compute").server("compute-2"), "host", String.class, null)
                .get(10, TimeUnit.SECONDS)).isEqualTo("compute-2");
    }

    /**
     * A receiver in format 1 written from the wire format page: ACKs every envelope at once and
     * answers a CALL with its argument only when told to.
     */
    private static final class HeldReplies {
        final ZMQ.Socket router;
        final String endpoint;
        final CountDownLatch release = new CountDownLatch(1);
        private final Thread serving;
        private volatile boolean running = true;

        HeldReplies(ZMQ.Socket router) {
            this.router = router;
            router.setReceiveTimeOut(50);
            this.endpoint = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
            this.serving = new Thread(this::serve, "held-replies");
            serving.setDaemon(true);
        }

        void start() {
            serving.start();
        }

        void stop() throws InterruptedException {
            running = false;
            release.countDown();
            serving.join(5_000);
        }

        /** Whether {@code thread} runs a node's ZeroMQ loop now, as its stack shows. */
        static boolean runsTheLoop(Thread thread) {
            return Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("driveUntil"));
        }

        /** Lets the reply go once {@code caller} runs its node's loop: only then can it read it itself. */
        void releaseOnceRunningTheLoop(Thread caller) {
            await().atMost(WAIT).until(() -> runsTheLoop(caller));
            release.countDown();
        }

        private void serve() {
            while (running) {
                byte[] identity = router.recv(0);
                if (identity == null) {
                    continue;
                }
                String json = new String(router.recv(0), StandardCharsets.UTF_8);
                String id = field(json, "id");
                router.send(identity, ZMQ.SNDMORE);
                router.send("ACK", ZMQ.SNDMORE);
                router.send(id, 0);
                if (json.contains("\"kind\":\"CALL\"") && awaitRelease() && running) {
                    String argument = json.substring(json.indexOf("\"args\":[\"") + 9, json.indexOf("\"]"));
                    router.send(identity, ZMQ.SNDMORE);
                    router.send("REPLY", ZMQ.SNDMORE);
                    router.send("{\"v\":1,\"id\":\"r-" + id + "\",\"kind\":\"REPLY\",\"topic\":\"compute\","
                            + "\"correlationId\":\"" + id + "\",\"from\":\"raw-1\",\"result\":\"" + argument + "\"}", 0);
                }
            }
        }

        private boolean awaitRelease() {
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private static String field(String json, String name) {
            int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
            return json.substring(start, json.indexOf('"', start));
        }
    }
}
