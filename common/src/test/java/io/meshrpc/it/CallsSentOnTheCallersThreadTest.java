package io.meshrpc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.meshrpc.api.Target;
import io.meshrpc.it.Endpoints.Compute;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.node.MeshNode;

/**
 * A CALL, and a worker's reply, go out on their own thread when the I/O thread waits, sharing the
 * sockets under a lock with it; everything else is queued for the I/O thread. These tests load that
 * sharing from many threads at once and check what it must never break: every message answered or
 * handled once, and one thread's messages to a peer arriving in the order it sent them.
 */
class CallsSentOnTheCallersThreadTest {

    private final TestCluster cluster = new TestCluster();
    private final ZContext raw = new ZContext(1);
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        threads.shutdownNow();
        raw.close();
        cluster.close();
    }

    @Test
    void callsFromManyThreadsBesideQueuedCastsAreEachAnsweredAndEveryCastIsHandledOnce() throws Exception {
        Compute compute = new Compute("compute-1");
        cluster.start("compute-1", compute);
        MeshNode caller = cluster.start("api-1");
        Target target = Target.topic("compute").server("compute-1");
        int callers = 6;
        int callsEach = 300;
        int casts = 3_000;

        List<Future<Integer>> answered = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            answered.add(threads.submit(() -> {
                int ok = 0;
                for (int i = 0; i < callsEach; i++) {
                    String host = caller.client().<String>invoke(target, "host", String.class, null)
                            .get(10, TimeUnit.SECONDS);
                    ok += "compute-1".equals(host) ? 1 : 0;
                }
                return ok;
            }));
        }
        Future<List<CompletableFuture<Void>>> cast = threads.submit(() -> {
            List<CompletableFuture<Void>> acked = new ArrayList<>();
            for (int i = 0; i < casts; i++) {
                acked.add(caller.client().cast(target, "buildInstance", "vm-" + i));
            }
            return acked;
        });

        for (Future<Integer> thread : answered) {
            assertThat(thread.get(60, TimeUnit.SECONDS)).isEqualTo(callsEach);
        }
        CompletableFuture.allOf(cast.get(60, TimeUnit.SECONDS).toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> compute.total.get() == casts);
        assertThat(compute.handled).hasSize(casts);
        assertThat(compute.handled.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }

    @Test
    void aThreadsCastsAndCallsToOnePeerArriveInTheOrderItSentThem() throws Exception {
        RecordingReceiver receiver = new RecordingReceiver(raw.createSocket(SocketType.ROUTER));
        cluster.matchmaker().register(new NodeRef("raw-1", receiver.endpoint), Set.of("compute"));
        Thread serving = new Thread(receiver::serve, "recording-receiver");
        serving.setDaemon(true);
        serving.start();
        MeshNode sender = cluster.start("api-1");
        Target target = Target.topic("compute").server("raw-1");
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<?>> answers = new ArrayList<>();

        // Rounds of casts, which are queued for the I/O thread, each followed by a call, which goes
        // out on this thread once nothing is queued before it: it must never overtake the casts.
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 25; i++) {
                String id = "cast-" + round + "-" + i;
                sent.add(id);
                answers.add(sender.client().cast(target, "buildInstance", id));
            }
            String id = "call-" + round;
            sent.add(id);
            answers.add(sender.client().call(target, "describe", id, String.class));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        receiver.running = false;
        serving.join(5_000);

        assertThat(receiver.arrived).containsExactlyElementsOf(sent);
    }

    /**
     * A receiver in format 1 written from the wire format page: records the argument of every
     * envelope in the order they arrive, ACKs each, and answers a CALL with its argument.
     */
    private static final class RecordingReceiver {
        final ZMQ.Socket router;
        final String endpoint;
        final List<String> arrived = new CopyOnWriteArrayList<>();
        volatile boolean running = true;

        RecordingReceiver(ZMQ.Socket router) {
            this.router = router;
            router.setReceiveTimeOut(50);
            this.endpoint = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
        }

        void serve() {
            while (running) {
                byte[] identity = router.recv(0);
                if (identity == null) {
                    continue;
                }
                String json = new String(router.recv(0), StandardCharsets.UTF_8);
                String id = field(json, "id");
                String argument = json.substring(json.indexOf("\"args\":[\"") + 9, json.indexOf("\"]"));
                arrived.add(argument);
                router.send(identity, ZMQ.SNDMORE);
                router.send("ACK", ZMQ.SNDMORE);
                router.send(id, 0);
                if (json.contains("\"kind\":\"CALL\"")) {
                    router.send(identity, ZMQ.SNDMORE);
                    router.send("REPLY", ZMQ.SNDMORE);
                    router.send("{\"v\":1,\"id\":\"r-" + id + "\",\"kind\":\"REPLY\",\"topic\":\"compute\","
                            + "\"correlationId\":\"" + id + "\",\"from\":\"raw-1\",\"result\":\"" + argument + "\"}", 0);
                }
            }
        }

        private static String field(String json, String name) {
            int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
            return json.substring(start, json.indexOf('"', start));
        }
    }
}
