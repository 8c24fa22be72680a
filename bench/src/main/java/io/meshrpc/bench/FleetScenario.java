package io.meshrpc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * One row of the fleet benchmark: a fresh {@link MatchmakerProcess}, a {@link FleetSimulator} of
 * {@code nodes} nodes ramped up against it, a warm-up with churn and policy flips, then the measured
 * window, and the figures of {@link FleetResult}.
 */
final class FleetScenario {

    /** Loops (selector threads) of the simulator's HTTP client. */
    static final int LOOPS = 2;
    static final long SEED = 13;
    /**
     * Descriptors to keep free besides the simulator's connections and what the JVM holds already: the
     * service holds a departed node's socket until its watch's wait ends (a minute), and more when it
     * falls behind; 19,500 nodes under a limit of 20,000 ran out.
     */
    static final int FD_MARGIN = 400;
    /** How long the changes of the window may take to arrive after it, before they count as incomplete. */
    static final Duration GRACE = Duration.ofSeconds(15);

    private final String name;
    private final FleetSimulator.Mode mode;
    private final int nodes;
    private final Duration warmup;
    private final Duration measure;

    FleetScenario(String name, FleetSimulator.Mode mode, int nodes, Duration warmup, Duration measure) {
        this.name = name;
        this.mode = mode;
        this.nodes = nodes;
        this.warmup = warmup;
        this.measure = measure;
    }

    /** Connections the simulator may hold at once: one watch each (two pooled in the full-refresh mode), plus the pools. */
    static int connections(FleetSimulator.Mode mode, int nodes) {
        int perNode = mode == FleetSimulator.Mode.WATCH ? 1 : 2;
        return nodes * perNode + LOOPS * FleetSimulator.POOL_PER_LOOP;
    }

    /** Why this row cannot run within the open-files limit, or {@code null}. */
    static String descriptorProblem(FleetSimulator.Mode mode, int nodes, long limit, int openNow) {
        if (limit < 0 || limit == Long.MAX_VALUE) {
            return null;
        }
        long base = Math.max(openNow, 200) + FD_MARGIN;
        long needed = connections(mode, nodes) + base;
        if (needed <= limit) {
            return null;
        }
        long most = (limit - base - LOOPS * FleetSimulator.POOL_PER_LOOP)
                / (mode == FleetSimulator.Mode.WATCH ? 1 : 2);
        return String.format(Locale.ROOT, "needs about %,d open files in the benchmark's JVM and as many in the "
                + "service's (one connection per node), but the limit is %,d (ulimit -n; the hard limit ulimit -Hn "
                + "caps it, and only a privileged shell can raise that): raise it, or measure at most %,d nodes",
                needed, limit, Math.max(0, most));
    }

    FleetResult run() {
        String problem = descriptorProblem(mode, nodes, ProcStat.openFilesLimit(), ProcStat.openFiles());
        if (problem != null) {
            Progress.say("%s: not run: %s", name, problem);
            return FleetResult.failed(name, nodes, List.of("not run: " + problem));
        }
        MatchmakerProcess service = null;
        FleetSimulator sim = null;
        boolean ok = false;
        try {
            Progress.say("%s: setting up", name);
            service = MatchmakerProcess.start(name);
            sim = new FleetSimulator(mode, nodes, service.address(), LOOPS, SEED);
            FleetResult result = measure(service, sim);
            ok = !result.failed();
            return result;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return failure(service, ex.toString());
        } catch (Exception ex) {
            return failure(service, ex.getMessage() != null ? ex.getMessage() : ex.toString());
        } finally {
            if (sim != null) {
                sim.close();
            }
            if (service != null) {
                service.close(ok);
            }
        }
    }

    private FleetResult failure(MatchmakerProcess service, String reason) {
        String where = service == null ? "" : " (service log: " + service.log() + ")";
        Progress.say("%s: failed: %s%s", name, reason, where);
        return FleetResult.failed(name, nodes, List.of("failed: " + reason + where));
    }

    private FleetResult measure(MatchmakerProcess service, FleetSimulator sim) throws Exception {
        sim.probe();
        List<String> notes = new ArrayList<>();
        if (mode == FleetSimulator.Mode.FULL_REFRESH && !sim.revisions()) {
            notes.add("the service answers no X-Meshrpc-Revision: a node's refresh counts as seeing a change when it "
                    + "was requested after the change was answered");
        }
        long rampStart = System.nanoTime();
        Progress.say("%s: ramp: registering %,d nodes (%d in flight), TTL %d s, heartbeats every %d s from registration",
                name, nodes, FleetSimulator.RAMP_REGISTRATIONS, FleetSimulator.TTL_SECONDS,
                TimeUnit.NANOSECONDS.toSeconds(FleetSimulator.HEARTBEAT_NANOS));
        sim.registerAll();
        await(service, sim, "registered", sim::registered);
        double registerSeconds = (System.nanoTime() - rampStart) / 1e9;
        long viewStart = System.nanoTime();
        Progress.say("%s: ramp: %s for every node (%d in flight)", name, mode == FleetSimulator.Mode.WATCH
                ? "opening a watch connection and taking the first snapshot" : "first full refresh",
                FleetSimulator.RAMP_VIEWS);
        sim.openViews();
        await(service, sim, mode == FleetSimulator.Mode.WATCH ? "hold their first snapshot" : "refreshed once",
                sim::viewed);
        double viewSeconds = (System.nanoTime() - viewStart) / 1e9;
        Progress.say("%s: ramp done: %,d nodes registered in %.1f s, first %s in %.1f s", name, nodes, registerSeconds,
                mode == FleetSimulator.Mode.WATCH ? "snapshots" : "refreshes", viewSeconds);
        notes.add(String.format(Locale.ROOT, "warm-up: ramp (%,d registrations in %.1f s, then %s in %.1f s), then %d s "
                        + "of steady state with churn and policy flips before the window", nodes, registerSeconds,
                mode == FleetSimulator.Mode.WATCH ? "first snapshots" : "first refreshes", viewSeconds,
                warmup.toSeconds()));

        sim.startChanges();
        Progress.say("%s: warm-up %d s (churn: %.0f replacements/min, a policy flip every %d s)", name,
                warmup.toSeconds(), sim.churnPerMinute(), TimeUnit.NANOSECONDS.toSeconds(FleetSimulator.FLIP_NANOS));
        sleepWatching(service, sim, warmup, null);

        Progress.say("%s: measuring %d s", name, measure.toSeconds());
        java.nio.file.Path recording = Boolean.getBoolean("bench.fleet.jfr") ? startRecording(service) : null;
        String load0 = ProcStat.loadAverage();
        Map<String, Long> threads0 = ProcStat.threadCpuNanos(service.pid());
        long cpu0 = service.cpuNanos();
        long simCpu0 = ProcessCpu.nanos();
        long[] bytes0 = sim.nodeBytes();
        long[] kinds0 = sim.kindBytes();
        sim.measuring(true);
        long t0 = System.nanoTime();
        sleepWatching(service, sim, measure, t0);
        sim.measuring(false);
        long t1 = System.nanoTime();
        long cpu1 = service.cpuNanos();
        Map<String, Long> threads1 = ProcStat.threadCpuNanos(service.pid());
        String load1 = ProcStat.loadAverage();
        long simCpu1 = ProcessCpu.nanos();
        long[] bytes1 = sim.nodeBytes();
        long[] kinds1 = sim.kindBytes();
        sim.stopChanges();
        if (recording != null && service.jcmd("JFR.stop", "name=fleet") != null) {
            notes.add("JFR recording of the service over the window (settings=profile): " + recording);
        }
        double seconds = (t1 - t0) / 1e9;

        Progress.say("%s: window closed; waiting up to %d s for its changes to reach their watchers, then the "
                + "service's heap (a full GC)", name, GRACE.toSeconds());
        long graceEnd = System.nanoTime() + GRACE.toNanos();
        while (sim.tracker().measuredPending() > 0 && System.nanoTime() < graceEnd && sim.fatal() == null) {
            Thread.sleep(100);
        }
        ChangeTracker.Summary changes = sim.tracker().summary(System.nanoTime());

        double heapUsed = service.heapUsedMb();
        double heapLive = service.fullGc() ? service.heapUsedMb() : Double.NaN;
        int serviceFiles = service.openFiles();
        if (Boolean.getBoolean("bench.fleet.histogram")) {
            String histogram = service.jcmd("GC.class_histogram");
            if (histogram != null) {
                java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), name + ".histo");
                java.nio.file.Files.writeString(file, histogram);
                notes.add("class histogram of the service's heap at the end: " + file);
            }
        }

        long[] perNode = new long[nodes];
        long total = 0;
        for (int i = 0; i < nodes; i++) {
            perNode[i] = bytes1[i] - bytes0[i];
            total += perNode[i];
        }
        Arrays.sort(perNode);
        double minutes = seconds / 60;
        Map<FleetSimulator.Kind, Long> requests = sim.requests();
        long allRequests = requests.values().stream().mapToLong(Long::longValue).sum();
        LatencySummary heartbeats = sim.heartbeatLatency();

        StringJoiner kinds = new StringJoiner(", ");
        requests.forEach((kind, n) -> {
            if (n > 0) {
                double rate = n / seconds;
                kinds.add(String.format(Locale.ROOT, rate < 10 ? "%s %.2f" : "%s %,.0f",
                        kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), rate));
            }
        });
        notes.add("requests/s by kind: " + kinds);
        StringJoiner bytesByKind = new StringJoiner(", ");
        for (FleetSimulator.Kind kind : FleetSimulator.Kind.values()) {
            long b = kinds1[kind.ordinal()] - kinds0[kind.ordinal()];
            long n = requests.getOrDefault(kind, 0L);
            if (b > 0) {
                bytesByKind.add(String.format(Locale.ROOT, "%s %,.0f (%,.0f a request)",
                        kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), b / (double) nodes / minutes,
                        n == 0 ? Double.NaN : b / (double) n));
            }
        }
        notes.add("bytes per node per minute by kind: " + bytesByKind);
        notes.add("service CPU by thread over the window, in cores: " + byThread(threads0, threads1, seconds));
        notes.add("machine load average (1/5/15 min) at the window's start: " + load0 + ", at its end: " + load1
                + " (this run's two JVMs count too; more means other work shared the 2 cores)");
        notes.add(String.format(Locale.ROOT, "window: %.1f s; %d replacements and %d policy flips answered in it; "
                        + "%,d heartbeats timed; service held %,d open files at the end; %s",
                seconds, sim.churned(), sim.flips(), sim.heartbeatsRecorded(), serviceFiles, sim.connectionStats()));
        if (sim.fullAnswers() > 0) {
            notes.add(sim.fullAnswers() + " watch answers in the window were full snapshots (after the first)");
        }
        if (sim.heartbeatsSkipped() > 0) {
            notes.add(sim.heartbeatsSkipped() + " heartbeats skipped in the window: the node's previous one had no "
                    + "answer yet");
        }
        if (sim.reregistrations() > 0) {
            notes.add(sim.reregistrations() + " heartbeats answered 404 in the window and the node registered again");
        }
        if (changes.incomplete() > 0) {
            notes.add(changes.incomplete() + " of " + changes.count() + " changes had not reached every watcher "
                    + GRACE.toSeconds() + " s after the window (counted at their age then, a lower bound)");
        }
        if (sim.changesWithoutRevision() > 0) {
            notes.add(sim.changesWithoutRevision() + " changes answered without X-Meshrpc-Revision (not timed)");
        }
        if (sim.errors() > 0) {
            notes.add(sim.errors() + " request(s) failed in the window; first: " + sim.firstError());
        }
        if (Double.isNaN(heapLive)) {
            notes.add("no full GC through jcmd: matchmaker_heap_mb is the heap in use at the end, garbage included");
        }
        String fatal = sim.fatal();
        if (fatal != null) {
            notes.add("failed: " + fatal);
        }
        double cores = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e9 / seconds;
        double simCores = simCpu0 < 0 ? Double.NaN : (simCpu1 - simCpu0) / 1e9 / seconds;
        FleetResult result = new FleetResult(name, nodes, cores, Double.isNaN(heapLive) ? heapUsed : heapLive, heapUsed,
                allRequests / seconds, total / (double) nodes / minutes,
                LatencySummary.percentile(perNode, nodes, 0.99) / minutes,
                heartbeats.p50Us() / 1_000, heartbeats.p99Us() / 1_000, changes.p50Ms(), changes.p99Ms(),
                changes.count(), changes.incomplete(), seconds, simCores, sim.errors(), notes, fatal != null);
        report(result);
        return result;
    }

    /** {@code requests 0.61, JIT 0.12, GC 0.05, ...}: the threads' CPU over the window, largest first. */
    static String byThread(Map<String, Long> before, Map<String, Long> after, double seconds) {
        StringJoiner out = new StringJoiner(", ");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() / 1e9 / seconds >= 0.005)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9 / seconds)));
        return out.length() == 0 ? "unknown" : out.toString();
    }

    private void report(FleetResult r) {
        Progress.say("%s: service %.2f cores, heap %.0f MB, %,.0f req/s, %,.0f B/node/min, heartbeat p99 %.1f ms, "
                        + "change p50 %.0f ms p99 %.0f ms (%d changes); simulator %.2f cores", r.scenario(),
                r.matchmakerCpuCores(), r.matchmakerHeapMb(), r.requestsPerS(), r.bytesPerNodePerMin(),
                r.heartbeatP99Ms(), r.changeP50Ms(), r.changeP99Ms(), r.changes(), r.simulatorCpuCores());
        r.notes().forEach(note -> Progress.say("%s:   %s", r.scenario(), note));
    }

    /** Waits until {@code done} reaches the fleet size, saying how it goes; fails on a fatal error or a stall. */
    private void await(MatchmakerProcess service, FleetSimulator sim, String what, IntSupplier done)
            throws InterruptedException {
        long start = System.nanoTime();
        long lastSaid = start;
        int lastDone = -1;
        long lastMoved = start;
        int step = Math.max(1, nodes / 4);
        int nextMark = step;
        while (true) {
            int n = done.getAsInt();
            long now = System.nanoTime();
            check(service, sim);
            if (n >= nodes) {
                return;
            }
            if (n != lastDone) {
                lastDone = n;
                lastMoved = now;
            } else if (now - lastMoved > TimeUnit.SECONDS.toNanos(60)) {
                throw new IllegalStateException("stalled at " + n + " of " + nodes + " nodes " + what
                        + "; first error: " + sim.firstError());
            }
            if (n >= nextMark || now - lastSaid > TimeUnit.SECONDS.toNanos(10)) {
                Progress.say("%s:   %,d/%,d %s (%,.0f/s)", name, n, nodes, what, n / ((now - start) / 1e9));
                lastSaid = now;
                while (nextMark <= n) {
                    nextMark += step;
                }
            }
            Thread.sleep(100);
        }
    }

    /** Sleeps for {@code duration}, checking the service and the simulator, with a progress line every 15 s. */
    private void sleepWatching(MatchmakerProcess service, FleetSimulator sim, Duration duration, Long measuredFrom)
            throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long nextSay = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            check(service, sim);
            Thread.sleep(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            if (measuredFrom != null && System.nanoTime() >= nextSay) {
                double s = (System.nanoTime() - measuredFrom) / 1e9;
                long all = sim.requests().values().stream().mapToLong(Long::longValue).sum();
                Progress.say("%s:   %.0f s: %,.0f req/s, %s, %d changes waiting for watchers", name, s, all / s,
                        sim.state(), sim.tracker().measuredPending());
                nextSay += TimeUnit.SECONDS.toNanos(15);
            }
        }
    }

    /** {@code -Dbench.fleet.jfr=true}: a JFR recording of the service over the window, for where its time goes. */
    private java.nio.file.Path startRecording(MatchmakerProcess service) {
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), name + ".jfr");
        return service.jcmd("JFR.start", "name=fleet", "settings=profile", "filename=" + file) == null ? null : file;
    }

    private static void check(MatchmakerProcess service, FleetSimulator sim) {
        String fatal = sim.fatal();
        if (fatal != null) {
            throw new IllegalStateException(fatal);
        }
        if (!service.alive()) {
            throw new IllegalStateException("matchmaker-service exited; its log ends with: " + service.tail(15));
        }
    }
}
