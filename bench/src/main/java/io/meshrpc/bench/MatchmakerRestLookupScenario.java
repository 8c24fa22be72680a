package io.meshrpc.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code matchmaker-lookup-rest}: {@code GET /api/v1/topics/{topic}} against a {@link MatchmakerFleet}
 * of 10,000 nodes, strictly one request at a time over one kept-alive HTTP/1.1 connection
 * ({@code java.net.http}); latency is request to complete body. Topics are asked for in a shuffled
 * order that covers all 500 before repeating.
 *
 * <p>What a sender would pay if it asked the service on every send instead of using the client's
 * cache ({@code matchmaker-lookup-cached}). The body is received whole but not parsed; each one is
 * checked to name the topic's {@value MatchmakerFleet#NODES_PER_TOPIC} nodes, after the clock stops.
 */
final class MatchmakerRestLookupScenario implements Scenario {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private MatchmakerFleet fleet;
    private HttpClient http;
    private HttpRequest[] requests;
    private int[] order;
    private int next;
    private JitActivity lastRun;

    @Override
    public String name() {
        return "matchmaker-lookup-rest";
    }

    @Override
    public void open() throws Exception {
        fleet = MatchmakerFleet.shared();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
        requests = new HttpRequest[MatchmakerFleet.TOPICS];
        for (int t = 0; t < requests.length; t++) {
            requests[t] = HttpRequest.newBuilder(fleet.base().resolve("api/v1/topics/" + MatchmakerFleet.topic(t)))
                    .timeout(REQUEST_TIMEOUT).GET().build();
        }
        order = LookupOrder.shuffled(MatchmakerFleet.TOPICS, 1);
        String problem = check(get(0));
        if (problem != null) {
            throw new IllegalStateException("GET /api/v1/topics/" + MatchmakerFleet.topic(0) + ": " + problem);
        }
    }

    private HttpResponse<String> get(int topic) throws IOException, InterruptedException {
        return http.send(requests[topic], HttpResponse.BodyHandlers.ofString());
    }

    /** Why the answer is wrong, or {@code null}: 200 and every node of the topic, each once. */
    private static String check(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode();
        }
        int members = LookupOrder.count(response.body(), "\"nodeId\"");
        return members == MatchmakerFleet.NODES_PER_TOPIC ? null
                : members + " nodes, expected " + MatchmakerFleet.NODES_PER_TOPIC;
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws InterruptedException {
        long compileBefore = JitActivity.compileMillisSoFar();
        RunStats stats = lookUp(duration, latencies);
        lastRun = new JitActivity(JitActivity.compileMillisSoFar() - compileBefore, stats.elapsedNanos());
        return stats;
    }

    /**
     * Spring MVC, Tomcat, Jackson and java.net.http are a lot of code for C2 to compile at one or two
     * thousand requests a second: on two cores it took about a minute of traffic before compiling
     * stopped, and until then the compiler takes up to a core of the two. Say so when it happened.
     */
    @Override
    public List<String> verify() {
        String note = lastRun == null ? null : lastRun.note();
        return note == null ? List.of() : List.of(note);
    }

    private RunStats lookUp(Duration duration, LatencyRecorder latencies) throws InterruptedException {
        long completed = 0;
        long failed = 0;
        String firstError = null;
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long now = start;
        while (now < deadline) {
            int topic = order[next++ % order.length];
            long sentAt = System.nanoTime();
            String problem;
            try {
                HttpResponse<String> response = get(topic);
                now = System.nanoTime();
                problem = check(response);
            } catch (IOException ex) {
                now = System.nanoTime();
                problem = ex.toString();
            }
            if (problem == null) {
                latencies.record(now - sentAt);
                completed++;
            } else {
                failed++;
                firstError = firstError == null ? MatchmakerFleet.topic(topic) + ": " + problem : firstError;
            }
        }
        return new RunStats(completed, failed, now - start, firstError);
    }

    @Override
    public void close() {
        // the fleet is shared: BenchMain closes it at the end of the run
    }
}
