package io.meshrpc.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.meshrpc.matchmaker.NodeRef;
import io.meshrpc.matchmaker.RestMatchmaker;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code matchmaker-lookup-cached}: look-ups from {@link RestMatchmaker}'s cache, the way meshrpc's
 * router makes them on every send, against a {@link MatchmakerFleet} of 10,000 nodes. Look-ups
 * alternate between {@code lookup(topic)} (a topic target) and {@code node(nodeId)} (a target with
 * a server), over shuffled orders of all 500 topics and all 10,000 nodes; each is timed on its own
 * with {@link System#nanoTime()}, so a latency includes the clock's own cost (tens of ns here).
 *
 * <p>The client refreshes its view in the background every {@value #REFRESH_SECONDS} s, the
 * default of {@code meshrpc.matchmaker.refresh-interval}, from the running service, so those
 * refreshes (a fleet view of 10,000 nodes fetched, parsed and indexed, and the garbage they
 * leave) happen during the measurement as they would in a node. Set-up also times that refresh,
 * which is what a node pays for its cache.
 */
final class MatchmakerCachedLookupScenario implements Scenario {

    static final int REFRESH_SECONDS = 5;
    private static final Duration REFRESH = Duration.ofSeconds(REFRESH_SECONDS);
    private static final Duration FIRST_VIEW_WAIT = Duration.ofSeconds(30);
    private static final int PROBES = 3;

    private final String[] topics = new String[MatchmakerFleet.TOPICS];
    private final String[] nodeIds = new String[MatchmakerFleet.NODES];
    private MatchmakerFleet fleet;
    private RestMatchmaker matchmaker;
    private long next;

    MatchmakerCachedLookupScenario() {
        int[] topicOrder = LookupOrder.shuffled(MatchmakerFleet.TOPICS, 2);
        for (int i = 0; i < topics.length; i++) {
            topics[i] = MatchmakerFleet.topic(topicOrder[i]);
        }
        int[] nodeOrder = LookupOrder.shuffled(MatchmakerFleet.NODES, 3);
        for (int i = 0; i < nodeIds.length; i++) {
            nodeIds[i] = MatchmakerFleet.nodeId(nodeOrder[i]);
        }
    }

    @Override
    public String name() {
        return "matchmaker-lookup-cached";
    }

    @Override
    public void open() throws Exception {
        fleet = MatchmakerFleet.shared();
        timeFleetView();
        JsonMapper mapper = JsonMapper.builder().build();
        List<Long> refreshes = new ArrayList<>();
        for (int i = 0; i < PROBES; i++) {
            if (matchmaker != null) {
                matchmaker.close();
            }
            long start = System.nanoTime();
            // the constructor fetches the first view synchronously (and gives up after 2 s)
            matchmaker = new RestMatchmaker(fleet.base().toString(), null, REFRESH, Duration.ofSeconds(30), mapper);
            refreshes.add(System.nanoTime() - start);
        }
        Progress.say("%s: RestMatchmaker start-up (GET /api/v1/nodes, parse, index): %s ms", name(), millis(refreshes));
        awaitFullView();
    }

    /** What one refresh fetches: the whole fleet view, as the client asks for it. */
    private void timeFleetView() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(fleet.base().resolve("api/v1/nodes")).GET().build();
        List<Long> times = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < PROBES; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            times.add(System.nanoTime() - start);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /api/v1/nodes answered " + response.statusCode());
            }
            bytes = response.body().length;
        }
        Progress.say("%s: fleet view GET /api/v1/nodes: %.1f MB, %s ms", name(), bytes / 1e6, millis(times));
    }

    private void awaitFullView() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + FIRST_VIEW_WAIT.toNanos();
        String missing;
        while ((missing = incomplete()) != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("RestMatchmaker's view still incomplete after "
                        + FIRST_VIEW_WAIT.toSeconds() + " s: " + missing);
            }
            Thread.sleep(50);
        }
        long waited = System.nanoTime() - start;
        if (waited > 100_000_000L) {
            Progress.say("%s: the full view came %.1f s later, from a background refresh", name(), waited / 1e9);
        }
    }

    /** What the view lacks, or {@code null} when it has every node of every topic. */
    private String incomplete() {
        for (String topic : topics) {
            int n = matchmaker.lookup(topic).size();
            if (n != MatchmakerFleet.NODES_PER_TOPIC) {
                return topic + " has " + n + " nodes";
            }
        }
        for (String id : nodeIds) {
            if (matchmaker.node(id).isEmpty()) {
                return "no node " + id;
            }
        }
        return null;
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) {
        RestMatchmaker mm = matchmaker;
        long completed = 0;
        long failed = 0;
        String firstError = null;
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long now = start;
        while (now < deadline) {
            long i = next++;
            boolean ok;
            long sentAt;
            if ((i & 1) == 0) {
                String topic = topics[(int) ((i >>> 1) % topics.length)];
                sentAt = System.nanoTime();
                List<NodeRef> nodes = mm.lookup(topic);
                now = System.nanoTime();
                ok = nodes.size() == MatchmakerFleet.NODES_PER_TOPIC;
            } else {
                String id = nodeIds[(int) ((i >>> 1) % nodeIds.length)];
                sentAt = System.nanoTime();
                Optional<NodeRef> node = mm.node(id);
                now = System.nanoTime();
                ok = node.isPresent() && node.get().endpoint() != null;
            }
            if (ok) {
                latencies.record(now - sentAt);
                completed++;
            } else {
                failed++;
                firstError = firstError == null ? "look-up " + i + " answered nothing" : firstError;
            }
        }
        return new RunStats(completed, failed, now - start, firstError);
    }

    /** The background refresh must have kept working: a stale view means refreshes failed. */
    @Override
    public List<String> verify() {
        List<String> warnings = new ArrayList<>();
        Duration age = matchmaker.cacheAge().orElse(Duration.ZERO);
        if (age.compareTo(REFRESH.multipliedBy(2).plusSeconds(2)) > 0) {
            warnings.add(String.format(Locale.ROOT, "the cached view is %.1f s old with a %d s refresh interval: "
                    + "refreshes of the fleet view failed", age.toMillis() / 1e3, REFRESH_SECONDS));
        }
        return warnings;
    }

    private static String millis(List<Long> nanos) {
        return String.join(" / ", nanos.stream().map(n -> String.format(Locale.ROOT, "%.0f", n / 1e6)).toList());
    }

    @Override
    public void close() {
        if (matchmaker != null) {
            matchmaker.close();
        }
        // the fleet is shared: BenchMain closes it at the end of the run
    }
}
