package io.meshrpc.launcher.ops;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import io.meshrpc.launcher.Out;
import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.http.Http;
import tools.jackson.databind.JsonNode;

/**
 * Boots instances through the gateway's public API, as a user would, a few at a time, and waits
 * until each has settled (ACTIVE or ERROR) to report where they went.
 */
public final class LoadRunner {

    /** What to boot. */
    public record Flavor(int vcpus, int ramMb) {
    }

    /** An instance the gateway accepted (202). */
    public record Booted(String id, String name, Flavor flavor) {
    }

    /**
     * A finished run.
     *
     * @param accepted   instances the gateway accepted
     * @param refusals   answers other than 202, as {@code "503 No valid host: ..."}
     * @param servers    the settled state of each accepted instance, by id
     * @param seconds    how long booting and settling took
     */
    public record Result(List<Booted> accepted, List<String> refusals, Map<String, JsonNode> servers, double seconds) {

        public long count(String status) {
            return servers.values().stream().filter(s -> status.equals(s.path("status").asString())).count();
        }

        /** Instances the gateway sent to more than one host (a host refused, dropped or did not take the build). */
        public long retried() {
            return servers.values().stream().filter(s -> s.path("attempts").asInt(1) > 1).count();
        }

        /** ERROR instances per {@code faultCode} (the gateway's kind of failure), most frequent first. */
        public Map<String, Long> errorsByReason() {
            Map<String, Long> counts = new TreeMap<>();
            for (JsonNode s : servers.values()) {
                if ("ERROR".equals(s.path("status").asString())) {
                    counts.merge(s.path("faultCode").asString("UNKNOWN"), 1L, Long::sum);
                }
            }
            Map<String, Long> ordered = new java.util.LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> ordered.put(e.getKey(), e.getValue()));
            return ordered;
        }

        /** Per host: instances, vCPUs, RAM of the ACTIVE instances of this run. */
        public Map<String, long[]> perHost() {
            Map<String, long[]> hosts = new TreeMap<>();
            for (JsonNode s : servers.values()) {
                if ("ACTIVE".equals(s.path("status").asString())) {
                    long[] sums = hosts.computeIfAbsent(s.path("host").asString(), h -> new long[3]);
                    sums[0]++;
                    sums[1] += s.path("vcpus").asLong();
                    sums[2] += s.path("ramMb").asLong();
                }
            }
            return hosts;
        }
    }

    private final Http http = new Http(Duration.ofSeconds(15));

    /** Boots {@code count} instances, {@code concurrency} requests at a time, and waits for them to settle. */
    public Result boot(ClusterState state, String prefix, int count, Flavor flavor, int concurrency,
                       Duration settleTimeout) {
        long start = System.nanoTime();
        String servers = state.gateway().baseUrl() + "/api/v1/servers";
        List<Booted> accepted = Collections.synchronizedList(new ArrayList<>());
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = prefix + "-" + i;
                sent.add(pool.submit(() -> bootOne(servers, name, flavor, accepted, refusals)));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        } catch (java.util.concurrent.ExecutionException ex) {
            throw new IllegalStateException(ex.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, JsonNode> settled = settle(servers, accepted, settleTimeout);
        return new Result(List.copyOf(accepted), List.copyOf(refusals), settled, (System.nanoTime() - start) / 1e9);
    }

    /** Deletes the instances (DELETE /api/v1/servers/{id}); returns how many the gateway took. */
    public int delete(ClusterState state, List<Booted> instances) {
        int deleted = 0;
        for (Booted b : instances) {
            try {
                if (http.delete(state.gateway().baseUrl() + "/api/v1/servers/" + b.id()).ok()) {
                    deleted++;
                }
            } catch (IOException ex) {
                // reported by the count
            }
        }
        return deleted;
    }

    public void print(Result result, Out out) {
        out.line("booted %d instances in %.1f s: %d ACTIVE, %d ERROR, %d still BUILDING, %d refused; %d retried on"
                        + " another host", result.accepted().size() + result.refusals().size(), result.seconds(),
                result.count("ACTIVE"), result.count("ERROR"), result.count("BUILDING"), result.refusals().size(),
                result.retried());
        if (!result.errorsByReason().isEmpty()) {
            out.line("ERROR by reason: %s", String.join(", ", result.errorsByReason().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList()));
        }
        out.line("%-14s %9s %6s %10s", "host", "instances", "vCPUs", "RAM (MiB)");
        result.perHost().forEach((host, sums) -> out.line("%-14s %9d %6d %10d", host, sums[0], sums[1], sums[2]));
        result.refusals().stream().distinct().limit(3).forEach(r -> out.line("refused: %s", r));
        result.servers().values().stream().filter(s -> "ERROR".equals(s.path("status").asString()))
                .map(s -> s.path("fault").asString()).distinct().limit(3).forEach(f -> out.line("error: %s", f));
    }

    private void bootOne(String url, String name, Flavor flavor, List<Booted> accepted, List<String> refusals) {
        try {
            Http.Reply reply = http.post(url, Map.of("name", name, "vcpus", flavor.vcpus(), "ramMb", flavor.ramMb()));
            if (reply.status() == 202) {
                accepted.add(new Booted(reply.body().path("id").asString(), name, flavor));
            } else {
                JsonNode body = reply.body();
                refusals.add(reply.status() + " " + (body == null ? "" : body.path("title").asString("") + ": "
                        + body.path("detail").asString("")));
            }
        } catch (IOException ex) {
            refusals.add("no answer: " + ex.getMessage());
        }
    }

    private Map<String, JsonNode> settle(String url, List<Booted> accepted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, JsonNode> latest = new TreeMap<>();
        while (true) {
            try {
                JsonNode list = http.get(url).body();
                latest.clear();
                for (JsonNode s : list.path("servers")) {
                    latest.put(s.path("id").asString(), s);
                }
            } catch (IOException ex) {
                // the gateway may be busy; try again until the deadline
            }
            Map<String, JsonNode> ours = new TreeMap<>();
            boolean settled = true;
            for (Booted b : accepted) {
                JsonNode s = latest.get(b.id());
                if (s != null) {
                    ours.put(b.id(), s);
                    settled &= !"BUILDING".equals(s.path("status").asString());
                }
            }
            if (settled || System.nanoTime() > deadline) {
                return ours;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling the public API, as a user would
        }
    }
}
