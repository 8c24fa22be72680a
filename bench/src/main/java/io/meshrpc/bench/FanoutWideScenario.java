package io.meshrpc.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.management.UnixOperatingSystemMXBean;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code fanout-wide}: one meshrpc node with {@code meshrpc.zmq.max-peers} 256 fans a cast out to
 * 2,000 receivers, far more than it may hold connections to, so the fanout goes out in waves over
 * ZeroMQ. The receivers are bare ROUTERs in this JVM that ACK as the wire format says
 * ({@link FanoutReceivers}).
 *
 * <p>The sender's ACK timeout is 5 s instead of 1 s: here the 2,000 receivers share the sender's
 * cores (in a fleet each is its own host), and on a busy machine a wave slowed by the load, each of
 * its connections a TCP connect and a ZMTP handshake, was taken for silent nodes at 1 s (tens to
 * hundreds of no-ACKs per fanout at a load of 13 to 50 on two cores). The scenario measures the
 * waves and the sockets held, not failure detection.
 *
 * <p>Fanouts run one after the other for the period. Each one's latency is the time from the call
 * to the moment the last receiver had the message; msgs/s counts deliveries (receivers reached per
 * second). The scenario's own JSON fields: {@code receivers}, {@code reached} (the fewest receivers
 * one measured fanout reached), {@code all_reached_ms} (the median fanout's time until every
 * receiver had it), {@code sockets_hwm} (the most DEALER sockets the sender held at once, from
 * {@code peersHighWaterMark} of the node's report) and {@code max_peers}.
 */
final class FanoutWideScenario implements Scenario {

    static final int RECEIVERS = 2_000;
    static final int MAX_PEERS = 256;
    /** Receiver contexts: each costs a JeroMQ I/O thread and a reaper, and serves its sockets from one thread. */
    static final int RECEIVER_GROUPS = 4;
    private static final String TOPIC = "wide";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FANOUT_WAIT = Duration.ofSeconds(60);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int ERROR_CHARS = 300;

    private final List<String> notes = new ArrayList<>();
    private final Map<String, Number> fields = new LinkedHashMap<>();
    private FanoutReceivers receivers;
    private MeshNode sender;
    private long fdsAtStart;
    private long fdsPeak;

    @Override
    public String name() {
        return "fanout-wide";
    }

    @Override
    public void open() {
        fdsAtStart = openFiles();
        receivers = new FanoutReceivers(RECEIVERS, RECEIVER_GROUPS);
        long fdsReceivers = openFiles() - fdsAtStart;
        Progress.say("fanout-wide: %,d receivers bound in %d contexts: %,d file descriptors (%.1f each), "
                + "%,d open of at most %,d", RECEIVERS, RECEIVER_GROUPS, fdsReceivers,
                fdsReceivers / (double) RECEIVERS, openFiles(), maxFiles());
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        for (int i = 0; i < RECEIVERS; i++) {
            matchmaker.register(new NodeRef("wide-" + i, receivers.endpoints().get(i)), Set.of(TOPIC));
        }
        sender = MeshNode.builder().nodeId("fanout-sender").matchmaker(matchmaker)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(ACK_TIMEOUT)
                        .withLimits(MAX_PEERS, ZmqSettings.loopback(0).maxPendingPerPeer()))
                .meterRegistry(new SimpleMeterRegistry()).build().start();
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws InterruptedException {
        Tally tally = new Tally();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long nextProgress = start + PROGRESS_EVERY_NANOS;
        do {
            FanoutReceivers.Round round = receivers.newRound();
            long sentAt = System.nanoTime();
            String error = await(sender.client().fanout(TOPIC, "refresh", tally.fanouts));
            int reached = RECEIVERS - round.missing();
            if (tally.add(reached, error, round.allReachedAtNanos() - sentAt)) {
                latencies.record(round.allReachedAtNanos() - sentAt);
            }
            fdsPeak = Math.max(fdsPeak, openFiles());
            if (System.nanoTime() >= nextProgress) {
                nextProgress += PROGRESS_EVERY_NANOS;
                progress(tally, reached);
            }
        } while (System.nanoTime() < deadline);
        report(tally);
        return new RunStats(tally.delivered, tally.failed, System.nanoTime() - start, tally.firstError);
    }

    /** What the fanouts of one run achieved. */
    private static final class Tally {
        private final List<Long> allReachedNanos = new ArrayList<>();
        private int fanouts;
        private long delivered;
        private long failed;
        private int fewestReached = RECEIVERS;
        private String firstError;

        /** Counts one fanout; true if every receiver had it and every ACK came. */
        boolean add(int reached, String error, long allReachedAfterNanos) {
            fanouts++;
            delivered += reached;
            fewestReached = Math.min(fewestReached, reached);
            if (error == null && reached == RECEIVERS) {
                allReachedNanos.add(allReachedAfterNanos);
                return true;
            }
            failed++;
            if (firstError == null) {
                firstError = error != null ? error : reached + " of " + RECEIVERS + " receivers reached";
            }
            return false;
        }

        String lastAllReached() {
            return allReachedNanos.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f ms",
                    allReachedNanos.get(allReachedNanos.size() - 1) / 1e6);
        }
    }

    /**
     * Waits for every ACK (or the fanout's failure); null when all came, the failure otherwise, cut
     * short: a failed fanout names every node it missed.
     */
    private static String await(CompletableFuture<Void> fanout) throws InterruptedException {
        try {
            fanout.get(FANOUT_WAIT.toSeconds(), TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException ex) {
            String cause = MeshPair.rootCause(ex);
            return cause.length() <= ERROR_CHARS ? cause : cause.substring(0, ERROR_CHARS) + "...";
        } catch (TimeoutException ex) {
            return "fanout not done after " + FANOUT_WAIT.toSeconds() + " s";
        }
    }

    private void progress(Tally tally, int lastReached) {
        Progress.say("fanout-wide: %d fanouts (%d failed); the last reached %,d of %,d receivers; last complete one "
                + "%s; sockets held at most %d of %d; %,d file descriptors open", tally.fanouts, tally.failed,
                lastReached, RECEIVERS, tally.lastAllReached(), socketsHighWaterMark(sender), MAX_PEERS,
                openFiles());
    }

    /** The figures of the last run (the measured one, after the warm-up). */
    private void report(Tally tally) {
        double medianMs = median(tally.allReachedNanos) / 1e6;
        fields.clear();
        fields.put("receivers", RECEIVERS);
        fields.put("reached", tally.fewestReached);
        fields.put("all_reached_ms", medianMs);
        fields.put("sockets_hwm", socketsHighWaterMark(sender));
        fields.put("max_peers", MAX_PEERS);
        fields.put("fanouts", tally.fanouts);
        notes.clear();
        notes.add(String.format(Locale.ROOT, "%d of %d fanouts reached all %,d receivers over ZeroMQ, in %.1f ms "
                        + "(median); the fewest one reached: %,d; sockets held at most %d (max-peers %d, ACK timeout "
                        + "%d ms); %d duplicate deliveries; file descriptors: %,d before the receivers, %,d at most "
                        + "(limit %,d)", tally.allReachedNanos.size(), tally.fanouts, RECEIVERS, medianMs,
                tally.fewestReached, socketsHighWaterMark(sender), MAX_PEERS, ACK_TIMEOUT.toMillis(),
                receivers.duplicates(), fdsAtStart, fdsPeak, maxFiles()));
    }

    private static double median(List<Long> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Override
    public Map<String, Number> fields() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public List<String> verify() {
        return List.copyOf(notes);
    }

    private static long openFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount() : -1;
    }

    private static long maxFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.stop();
        }
        if (receivers != null) {
            receivers.close();
        }
    }

    /** The most ZeroMQ connections the sender held at once, from its report. */
    private static int socketsHighWaterMark(MeshNode sender) {
        return (Integer) ((Map<?, ?>) sender.report().transports().get("zmq")).get("peersHighWaterMark");
    }
}
