package io.meshrpc.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plays a fleet of {@code nodes} meshrpc nodes against one matchmaker-service, cheaply: a node is a
 * few fields, its timers live in the {@link NioHttpClient}'s loops, and its requests go over that
 * client, so that every byte a node sends and receives is counted to it.
 *
 * <p>{@link Mode#WATCH}, the fleet-scale protocol: each node registers ({@code PUT
 * /api/v1/nodes/{id}}, TTL {@value #TTL_SECONDS} s), heartbeats every TTL/3 ({@code PUT
 * .../heartbeat}; on 404 it registers again), serves one of {@value #TOPICS} topics and watches
 * {@value #WATCHED} of them over its own connection ({@code GET /api/v1/watch?topics=a,b,c&since=R&wait=60s},
 * asked again as soon as the answer arrives). Heartbeats, registrations and departures share a
 * small pool of connections per loop.
 *
 * <p>{@link Mode#FULL_REFRESH}, the protocol before it: each node, over its own connections, reads
 * {@code GET /api/v1/nodes} and {@code GET /api/v1/policies} every 5 s and registers again with a
 * stats object every 10 s.
 *
 * <p>Both modes: {@value #CHURN_PERCENT_PER_MINUTE} % of the nodes are replaced per minute (the
 * node {@code DELETE}s itself, then a node with a new id registers in its place, the same topics),
 * spread evenly, and one topic's policy override is set or cleared every 10 s; the
 * {@link ChangeTracker} times how long each of these changes takes to reach the nodes that watch
 * the topic (in the full-refresh mode: every node, at its next refresh).
 */
final class FleetSimulator implements AutoCloseable {

    enum Mode { WATCH, FULL_REFRESH }

    /** Requests by what they do, for the figures and the progress lines. */
    enum Kind { REGISTER, HEARTBEAT, WATCH, DEREGISTER, POLICY, GET_NODES, GET_POLICIES }

    static final int TOPICS = 50;
    static final int WATCHED = 3;
    static final int TTL_SECONDS = 30;
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(TTL_SECONDS) / 3;
    static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long STATS_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long FLIP_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int CHURN_PERCENT_PER_MINUTE = 1;
    static final String WAIT = "60s";
    static final long WATCH_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);
    static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Pooled connections per loop for heartbeats, registrations, departures and the operator. */
    static final int POOL_PER_LOOP = 48;
    /** Registrations in flight during the ramp, and first views (snapshots) in flight. */
    static final int RAMP_REGISTRATIONS = 48;
    static final int RAMP_VIEWS = 24;
    private static final String[] POLICIES = {"zmq", "amqp", "zmq-first"};

    /** One simulated node, in the slot it holds; a departed node's slot goes to its replacement. */
    final class Node extends ChangeTracker.Watcher {
        final int slot;
        final NioHttpClient.Loop loop;
        final int serve;
        final String watchParam;
        volatile boolean live;
        volatile boolean leaving;
        int gen;
        String id;
        String path;
        boolean hasView;
        NioHttpClient.Conn watchConn;
        NioHttpClient.Pool pool;
        boolean refreshing;
        boolean refreshDue;
        /** A heartbeat (or, full refresh, a registration with stats) is on its way: the next tick is skipped. */
        boolean beating;
        long statsCount;

        Node(int slot, int[] watched, NioHttpClient.Loop loop) {
            super(watched);
            this.slot = slot;
            this.loop = loop;
            this.serve = slot % TOPICS;
            this.watchParam = mode == Mode.WATCH ? String.join(",", Arrays.stream(watched)
                    .mapToObj(FleetSimulator::topic).toList()) : null;
            name(0);
        }

        void name(int generation) {
            gen = generation;
            id = generation == 0 ? String.format(Locale.ROOT, "node-%05d", slot)
                    : String.format(Locale.ROOT, "node-%05d-%d", slot, generation);
            path = "/api/v1/nodes/" + id;
        }
    }

    private final Mode mode;
    private final int nodeCount;
    private final InetSocketAddress server;
    private final NioHttpClient http;
    private final NioHttpClient.Pool[] pools;
    private final Node[] nodes;
    private final ChangeTracker tracker = new ChangeTracker(TOPICS);
    private final AtomicLongArray nodeBytes;
    private final AtomicLong operatorBytes = new AtomicLong();
    private final AtomicLongArray kindBytes = new AtomicLongArray(Kind.values().length);
    private final Map<Kind, LongAdder> requests = new EnumMap<>(Kind.class);
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final LongAdder reregistrations = new LongAdder();
    private final LongAdder fullAnswers = new LongAdder();
    private final LongAdder churned = new LongAdder();
    private final LongAdder flips = new LongAdder();
    private final LongAdder changesWithoutRevision = new LongAdder();
    private final LongAdder heartbeatsSkipped = new LongAdder();
    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger viewed = new AtomicInteger();
    private final boolean[] overridden = new boolean[TOPICS];
    private final SplittableRandom operatorRandom;
    private volatile boolean measuring;
    private volatile boolean changing;
    private volatile boolean stopping;
    private volatile LatencyRecorder heartbeats = new LatencyRecorder(1 << 16);
    private boolean revisions;

    FleetSimulator(Mode mode, int nodeCount, InetSocketAddress server, int loops, long seed) throws IOException {
        this.mode = mode;
        this.nodeCount = nodeCount;
        this.server = server;
        this.nodeBytes = new AtomicLongArray(nodeCount);
        this.operatorRandom = new SplittableRandom(seed);
        for (Kind kind : Kind.values()) {
            requests.put(kind, new LongAdder());
        }
        this.http = new NioHttpClient(server, loops, "fleet-sim", (request, sent, received) -> {
            if (request.owner >= 0) {
                nodeBytes.addAndGet(request.owner, sent + received);
                kindBytes.addAndGet(request.tag, sent + received);
            } else {
                operatorBytes.addAndGet(sent + received);
            }
        });
        this.pools = new NioHttpClient.Pool[loops];
        for (int i = 0; i < loops; i++) {
            pools[i] = http.new Pool(http.loop(i), POOL_PER_LOOP);
        }
        this.nodes = new Node[nodeCount];
        int[] all = new int[TOPICS];
        for (int t = 0; t < TOPICS; t++) {
            all[t] = t;
        }
        for (int i = 0; i < nodeCount; i++) {
            nodes[i] = new Node(i, mode == Mode.WATCH ? watchedTopics(i, seed) : all, http.loop(i));
            if (mode == Mode.FULL_REFRESH) {
                nodes[i].pool = http.new Pool(nodes[i].loop, 2);
            }
        }
    }

    static String topic(int t) {
        return String.format(Locale.ROOT, "topic-%02d", t);
    }

    /** {@value #WATCHED} distinct topics for the node in {@code slot}, the same in every run. */
    static int[] watchedTopics(int slot, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + slot);
        int[] picked = new int[WATCHED];
        for (int i = 0; i < WATCHED; i++) {
            int t;
            boolean again;
            do {
                t = random.nextInt(TOPICS);
                again = false;
                for (int j = 0; j < i; j++) {
                    again |= picked[j] == t;
                }
            } while (again);
            picked[i] = t;
        }
        Arrays.sort(picked);
        return picked;
    }

    /** The number after {@code "name":} at its first occurrence in {@code json}, or -1. */
    static long longField(byte[] json, String name) {
        byte[] key = ("\"" + name + "\"").getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length <= json.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (json[i + j] != key[j]) {
                    continue outer;
                }
            }
            int p = i + key.length;
            while (p < json.length && json[p] == ' ') {
                p++;
            }
            if (p >= json.length || json[p] != ':') {
                continue;
            }
            p++;
            while (p < json.length && json[p] == ' ') {
                p++;
            }
            long value = 0;
            int digits = 0;
            while (p < json.length && json[p] >= '0' && json[p] <= '9' && digits < 19) {
                value = value * 10 + (json[p++] - '0');
                digits++;
            }
            return digits == 0 ? -1 : value;
        }
        return -1;
    }

    private static boolean contains(byte[] body, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + t.length <= body.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (body[i + j] != t[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private String registration(Node n) {
        int s = n.slot;
        StringBuilder body = new StringBuilder(200).append("{\"topics\":[\"").append(topic(n.serve))
                .append("\"],\"endpoint\":\"tcp://10.").append((s >> 16) & 0xff).append('.').append((s >> 8) & 0xff)
                .append('.').append(s & 0xff).append(':').append(9501 + n.gen % 1000)
                .append("\",\"transports\":[\"zmq\",\"amqp\"],\"ttlSeconds\":").append(TTL_SECONDS);
        if (mode == Mode.FULL_REFRESH) {
            long c = ++n.statsCount * 37;
            body.append(",\"stats\":{\"sent\":{\"zmq\":").append(c).append(",\"amqp\":").append(c / 9)
                    .append("},\"received\":{\"zmq\":").append(c - 5).append(",\"amqp\":").append(c / 11).append("}}");
        }
        return body.append('}').toString();
    }

    private NioHttpClient.Pool poolOf(Node n) {
        return n.pool != null ? n.pool : pools[n.loop.index];
    }

    // ---------------------------------------------------------------- what the main thread calls

    /**
     * Checks the service speaks what this mode needs: in {@code WATCH} mode revisions and {@code GET
     * /api/v1/watch}; in {@code FULL_REFRESH} mode whether answers carry revisions (else changes are
     * timed with the local sequence). Throws with the reason when it cannot run.
     */
    void probe() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> policies = client.send(HttpRequest.newBuilder(uri("/api/v1/policies"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        revisions = policies.headers().firstValue("X-Meshrpc-Revision").isPresent();
        if (mode == Mode.WATCH) {
            HttpResponse<String> watch = client.send(HttpRequest.newBuilder(uri("/api/v1/watch?topics=" + topic(0)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (watch.statusCode() != 200 || longField(watch.body().getBytes(StandardCharsets.UTF_8), "revision") < 0) {
                throw new IllegalStateException("the service does not serve the watch protocol yet: GET /api/v1/watch"
                        + " answered " + watch.statusCode() + " " + abbreviate(watch.body()));
            }
            if (!revisions) {
                throw new IllegalStateException("the service serves GET /api/v1/watch but answers no X-Meshrpc-Revision"
                        + " header on GET /api/v1/policies: change_ms cannot be timed");
            }
        }
    }

    /** Whether changes are timed by the service's revisions (else by the local sequence). */
    boolean revisions() {
        return revisions;
    }

    private URI uri(String path) {
        return URI.create("http://" + server.getHostString() + ":" + server.getPort() + path);
    }

    /** Registers every node, {@value #RAMP_REGISTRATIONS} in flight; heartbeats start as each one registers. */
    void registerAll() {
        for (int l = 0; l < http.loops(); l++) {
            NioHttpClient.Loop loop = http.loop(l);
            int share = Math.max(1, RAMP_REGISTRATIONS / http.loops());
            AtomicInteger next = new AtomicInteger(l);
            loop.execute(() -> {
                for (int c = 0; c < share; c++) {
                    registerChain(loop, next);
                }
            });
        }
    }

    private void registerChain(NioHttpClient.Loop loop, AtomicInteger next) {
        int slot = next.getAndAdd(http.loops());
        if (slot >= nodeCount || stopping) {
            return;
        }
        Node n = nodes[slot];
        int gen = n.gen;
        register(n, gen, false, 0, () -> {
            registered.incrementAndGet();
            long now = System.nanoTime();
            if (mode == Mode.WATCH) {
                heartbeatAt(n, gen, now + ThreadLocalRandom.current().nextLong(HEARTBEAT_NANOS));
            } else {
                statsAt(n, gen, now + ThreadLocalRandom.current().nextLong(STATS_NANOS));
            }
            registerChain(loop, next);
        });
    }

    /** Gives every node its first view (snapshot, or full refresh), {@value #RAMP_VIEWS} in flight. */
    void openViews() {
        for (int l = 0; l < http.loops(); l++) {
            NioHttpClient.Loop loop = http.loop(l);
            int share = Math.max(1, RAMP_VIEWS / http.loops());
            AtomicInteger next = new AtomicInteger(l);
            loop.execute(() -> {
                for (int c = 0; c < share; c++) {
                    viewChain(loop, next);
                }
            });
        }
    }

    private void viewChain(NioHttpClient.Loop loop, AtomicInteger next) {
        int slot = next.getAndAdd(http.loops());
        if (slot >= nodeCount || stopping) {
            return;
        }
        Node n = nodes[slot];
        Runnable then = () -> viewChain(loop, next);
        if (mode == Mode.WATCH) {
            watch(n, n.gen, then);
        } else {
            long now = System.nanoTime();
            refreshAt(n, n.gen, now + ThreadLocalRandom.current().nextLong(REFRESH_NANOS));
            refresh(n, n.gen, then);
        }
    }

    int registered() {
        return registered.get();
    }

    int viewed() {
        return viewed.get();
    }

    /** Why the simulation cannot go on, or {@code null}. */
    String fatal() {
        String f = fatal.get();
        if (f != null) {
            return f;
        }
        for (int l = 0; l < http.loops(); l++) {
            Throwable t = http.loop(l).failure();
            if (t != null) {
                return "simulator loop failed: " + t;
            }
        }
        return null;
    }

    /** Starts the churn ({@value #CHURN_PERCENT_PER_MINUTE} % of the nodes replaced a minute) and the policy flips. */
    void startChanges() {
        changing = true;
        long churnEvery = (long) (60e9 / Math.max(1.0, nodeCount * CHURN_PERCENT_PER_MINUTE / 100.0));
        NioHttpClient.Loop operator = http.loop(0);
        operator.execute(() -> {
            long now = System.nanoTime();
            churnAt(operator, now + churnEvery, churnEvery);
            flipAt(operator, now + FLIP_NANOS / 2);
        });
    }

    /** Replacements per minute. */
    double churnPerMinute() {
        return nodeCount * CHURN_PERCENT_PER_MINUTE / 100.0;
    }

    void stopChanges() {
        changing = false;
    }

    void measuring(boolean on) {
        if (on) {
            heartbeats = new LatencyRecorder(1 << 16);
            for (LongAdder a : requests.values()) {
                a.reset();
            }
            errors.reset();
            firstError.set(null);
            reregistrations.reset();
            fullAnswers.reset();
            churned.reset();
            flips.reset();
            changesWithoutRevision.reset();
            heartbeatsSkipped.reset();
        }
        measuring = on;
    }

    /** Bytes sent and received so far by each slot's nodes. */
    long[] nodeBytes() {
        long[] copy = new long[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            copy[i] = nodeBytes.get(i);
        }
        return copy;
    }

    long operatorBytes() {
        return operatorBytes.get();
    }

    /** Bytes sent and received so far by the nodes, by {@link Kind} (indexed by ordinal). */
    long[] kindBytes() {
        long[] copy = new long[kindBytes.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = kindBytes.get(i);
        }
        return copy;
    }

    Map<Kind, Long> requests() {
        Map<Kind, Long> copy = new EnumMap<>(Kind.class);
        requests.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    long errors() {
        return errors.sum();
    }

    String firstError() {
        return firstError.get();
    }

    long reregistrations() {
        return reregistrations.sum();
    }

    long fullAnswers() {
        return fullAnswers.sum();
    }

    long churned() {
        return churned.sum();
    }

    long flips() {
        return flips.sum();
    }

    long changesWithoutRevision() {
        return changesWithoutRevision.sum();
    }

    /** Heartbeat ticks skipped because the node's previous heartbeat had no answer yet. */
    long heartbeatsSkipped() {
        return heartbeatsSkipped.sum();
    }

    /** Whether {@code n}'s previous heartbeat is still on its way (then this tick is skipped, as a node would). */
    private boolean stillBeating(Node n) {
        if (n.beating) {
            if (measuring) {
                heartbeatsSkipped.increment();
            }
            return true;
        }
        n.beating = true;
        return false;
    }

    LatencySummary heartbeatLatency() {
        return heartbeats.summarize();
    }

    long heartbeatsRecorded() {
        return heartbeats.count();
    }

    ChangeTracker tracker() {
        return tracker;
    }

    /** Connections the simulator opened so far, and those the server closed. */
    String connectionStats() {
        int pooled = 0;
        for (NioHttpClient.Pool p : pools) {
            pooled += p.open();
        }
        return String.format(Locale.ROOT, "%,d connections opened, %,d closed by the service, %d pooled now",
                http.connectsOpened.sum(), http.connectsClosedByServer.sum(), pooled);
    }

    @Override
    public void close() {
        stopping = true;
        changing = false;
        http.close();
    }

    // ---------------------------------------------------------------- on the loops

    private void count(Kind kind, NioHttpClient.Answer answer) {
        if (measuring && answer != null) {
            requests.get(kind).increment();
        }
    }

    private void error(String what) {
        if (stopping) {
            return;
        }
        if (measuring) {
            errors.increment();
            firstError.compareAndSet(null, what);
        }
    }

    private static String describe(NioHttpClient.Answer answer, String error) {
        return answer == null ? error : "HTTP " + answer.status() + " " + abbreviate(answer.text());
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
    }

    private NioHttpClient.Request request(Kind kind, String method, String target, String body, int owner,
                                          long timeout, NioHttpClient.Callback callback) {
        NioHttpClient.Request r = new NioHttpClient.Request(method, target,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), owner, timeout, callback);
        r.tag = kind.ordinal();
        return r;
    }

    /** Registers {@code n} (as generation {@code gen}); runs {@code then} once it is registered. */
    private void register(Node n, int gen, boolean isJoin, int attempt, Runnable then) {
        if (n.gen != gen || stopping) {
            return;
        }
        poolOf(n).submit(request(Kind.REGISTER, "PUT", n.path, registration(n), n.slot, REQUEST_TIMEOUT_NANOS, (r, a, e) -> {
            count(Kind.REGISTER, a);
            if (n.gen != gen || stopping) {
                return;
            }
            if (a != null && (a.status() == 200 || a.status() == 201)) {
                n.live = true;
                if (isJoin) {
                    changed(n.serve, a, "PUT " + n.path);
                }
                if (then != null) {
                    then.run();
                }
            } else if (attempt < 5) {
                error("PUT " + n.path + ": " + describe(a, e));
                n.loop.at(System.nanoTime() + RETRY_NANOS, () -> register(n, gen, isJoin, attempt + 1, then));
            } else {
                fatal.compareAndSet(null, "PUT " + n.path + " failed 6 times; last: " + describe(a, e));
            }
        }));
    }

    private void heartbeatAt(Node n, int gen, long at) {
        n.loop.at(at, () -> heartbeat(n, gen, at));
    }

    private void heartbeat(Node n, int gen, long at) {
        if (n.gen != gen || stopping) {
            return;
        }
        heartbeatAt(n, gen, at + HEARTBEAT_NANOS);
        if (stillBeating(n)) {
            return;
        }
        poolOf(n).submit(request(Kind.HEARTBEAT, "PUT", n.path + "/heartbeat", null, n.slot, REQUEST_TIMEOUT_NANOS, (r, a, e) -> {
            count(Kind.HEARTBEAT, a);
            if (n.gen != gen || stopping) {
                return;
            }
            n.beating = false;
            if (a == null) {
                error("PUT " + n.path + "/heartbeat: " + e);
                return;
            }
            if (measuring) {
                heartbeats.record(a.latencyNanos());
            }
            if (a.status() == 404) {
                if (measuring) {
                    reregistrations.increment();
                }
                register(n, gen, false, 0, null);
            } else if (!a.ok()) {
                error("PUT " + n.path + "/heartbeat: " + describe(a, e));
            }
        }));
    }

    /** The full-refresh mode's heartbeat: the whole registration again, with stats, every 10 s. */
    private void statsAt(Node n, int gen, long at) {
        n.loop.at(at, () -> {
            if (n.gen != gen || stopping) {
                return;
            }
            statsAt(n, gen, at + STATS_NANOS);
            if (stillBeating(n)) {
                return;
            }
            poolOf(n).submit(request(Kind.REGISTER, "PUT", n.path, registration(n), n.slot, REQUEST_TIMEOUT_NANOS,
                    (r, a, e) -> {
                count(Kind.REGISTER, a);
                if (n.gen != gen || stopping) {
                    return;
                }
                n.beating = false;
                if (a == null) {
                    error("PUT " + n.path + ": " + e);
                    return;
                }
                if (measuring) {
                    heartbeats.record(a.latencyNanos());
                }
                if (!a.ok()) {
                    error("PUT " + n.path + ": " + describe(a, e));
                }
            }));
        });
    }

    private void watch(Node n, int gen, Runnable firstView) {
        if (n.gen != gen || stopping) {
            return;
        }
        if (n.watchConn == null || n.watchConn.closed()) {
            n.watchConn = n.loop.open(null);
        }
        String target = "/api/v1/watch?topics=" + n.watchParam + (n.hasView ? "&since=" + n.held : "") + "&wait=" + WAIT;
        n.watchConn.send(request(Kind.WATCH, "GET", target, null, n.slot, WATCH_TIMEOUT_NANOS, (r, a, e) -> {
            count(Kind.WATCH, a);
            if (n.gen != gen || stopping) {
                return;
            }
            long revision = a != null && a.status() == 200 ? longField(a.body(), "revision") : -1;
            if (revision < 0) {
                error("GET " + target + ": " + describe(a, e));
                if (a != null && a.status() >= 400 && a.status() < 500) {
                    fatal.compareAndSet(null, "GET " + target + " answered " + describe(a, e));
                    return;
                }
                n.loop.at(System.nanoTime() + RETRY_NANOS, () -> watch(n, gen, firstView));
                return;
            }
            if (!n.hasView) {
                n.hasView = true;
                tracker.activate(n, revision);
                viewed.incrementAndGet();
                watch(n, gen, null);
                if (firstView != null) {
                    firstView.run();
                }
                return;
            }
            if (measuring && contains(a.body(), "\"full\":true")) {
                fullAnswers.increment();
            }
            tracker.answered(n, revision, System.nanoTime());
            watch(n, gen, null);
        }));
    }

    private void refreshAt(Node n, int gen, long at) {
        n.loop.at(at, () -> {
            if (n.gen != gen || stopping) {
                return;
            }
            refreshAt(n, gen, at + REFRESH_NANOS);
            refresh(n, gen, null);
        });
    }

    /** One full refresh: the fleet view, then the policies; a view reflects what both answers reflect. */
    private void refresh(Node n, int gen, Runnable firstView) {
        if (n.gen != gen || stopping) {
            return;
        }
        if (n.refreshing) {
            n.refreshDue = true;
            return;
        }
        n.refreshing = true;
        long seqAtStart = tracker.seq();
        poolOf(n).submit(request(Kind.GET_NODES, "GET", "/api/v1/nodes", null, n.slot, REQUEST_TIMEOUT_NANOS, (r, a, e) -> {
            count(Kind.GET_NODES, a);
            if (n.gen != gen || stopping) {
                return;
            }
            if (a == null || a.status() != 200) {
                error("GET /api/v1/nodes: " + describe(a, e));
                refreshEnded(n, gen, firstView, false);
                return;
            }
            long fleetRevision = revisionOf(a, seqAtStart);
            poolOf(n).submit(request(Kind.GET_POLICIES, "GET", "/api/v1/policies", null, n.slot, REQUEST_TIMEOUT_NANOS, (r2, a2, e2) -> {
                count(Kind.GET_POLICIES, a2);
                if (n.gen != gen || stopping) {
                    return;
                }
                if (a2 == null || a2.status() != 200) {
                    error("GET /api/v1/policies: " + describe(a2, e2));
                    refreshEnded(n, gen, firstView, false);
                    return;
                }
                long revision = Math.min(fleetRevision, revisionOf(a2, seqAtStart));
                if (!n.hasView) {
                    n.hasView = true;
                    tracker.activate(n, revision);
                    viewed.incrementAndGet();
                } else {
                    tracker.answered(n, revision, System.nanoTime());
                }
                refreshEnded(n, gen, firstView, true);
            }));
        }));
    }

    private void refreshEnded(Node n, int gen, Runnable firstView, boolean ok) {
        n.refreshing = false;
        if (!ok && !n.hasView) {
            n.loop.at(System.nanoTime() + RETRY_NANOS, () -> refresh(n, gen, firstView));
            return;
        }
        if (firstView != null) {
            firstView.run();
        }
        if (n.refreshDue) {
            n.refreshDue = false;
            refresh(n, gen, null);
        }
    }

    private long revisionOf(NioHttpClient.Answer a, long localSeq) {
        if (!revisions) {
            return localSeq;
        }
        String header = a.header("x-meshrpc-revision");
        try {
            return header == null ? Long.MIN_VALUE : Long.parseLong(header.trim());
        } catch (NumberFormatException ex) {
            return Long.MIN_VALUE;
        }
    }

    /** A change of {@code topic} was answered by {@code a}: time it from now. */
    private void changed(int topic, NioHttpClient.Answer a, String what) {
        long now = System.nanoTime();
        if (!revisions) {
            tracker.changeLocally(topic, now, measuring);
            return;
        }
        String header = a.header("x-meshrpc-revision");
        long revision;
        try {
            revision = header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException ex) {
            revision = -1;
        }
        if (revision < 0) {
            if (measuring) {
                changesWithoutRevision.increment();
            }
            error(what + " answered " + a.status() + " without an X-Meshrpc-Revision header");
            return;
        }
        tracker.change(topic, revision, now, measuring);
    }

    private void churnAt(NioHttpClient.Loop operator, long at, long every) {
        operator.at(at, () -> {
            if (!changing || stopping) {
                return;
            }
            churnAt(operator, at + every, every);
            for (int tries = 0; tries < 50; tries++) {
                Node n = nodes[operatorRandom.nextInt(nodeCount)];
                if (n.live && !n.leaving) {
                    n.leaving = true;
                    n.loop.execute(() -> leave(n));
                    return;
                }
            }
        });
    }

    /** {@code n} leaves (closes its watch, deregisters), then a node with a new id registers in its slot. */
    private void leave(Node n) {
        if (stopping) {
            return;
        }
        String oldPath = n.path;
        NioHttpClient.Pool oldPool = n.pool;
        n.live = false;
        n.name(n.gen + 1);   // first: the old node's callbacks and timers see they are stale
        int gen = n.gen;
        tracker.deactivate(n);
        n.hasView = false;
        n.refreshing = false;
        n.refreshDue = false;
        n.beating = false;
        if (n.watchConn != null) {
            n.watchConn.close("the node left");
            n.watchConn = null;
        }
        if (mode == Mode.FULL_REFRESH) {
            n.pool = http.new Pool(n.loop, 2);
        }
        NioHttpClient.Pool via = oldPool != null ? oldPool : pools[n.loop.index];
        via.submit(request(Kind.DEREGISTER, "DELETE", oldPath, null, n.slot, REQUEST_TIMEOUT_NANOS, (r, a, e) -> {
            count(Kind.DEREGISTER, a);
            if (oldPool != null) {
                oldPool.closeIdle();
            }
            if (stopping) {
                return;
            }
            if (a != null && a.ok()) {
                changed(n.serve, a, "DELETE " + oldPath);
            } else {
                error("DELETE " + oldPath + ": " + describe(a, e));
            }
            if (measuring) {
                churned.increment();
            }
            register(n, gen, true, 0, () -> {
                n.leaving = false;
                long now = System.nanoTime();
                if (mode == Mode.WATCH) {
                    heartbeatAt(n, gen, now + HEARTBEAT_NANOS);
                    watch(n, gen, null);
                } else {
                    statsAt(n, gen, now + STATS_NANOS);
                    refreshAt(n, gen, now + REFRESH_NANOS);
                    refresh(n, gen, null);
                }
            });
        }));
    }

    private void flipAt(NioHttpClient.Loop operator, long at) {
        operator.at(at, () -> {
            if (!changing || stopping) {
                return;
            }
            flipAt(operator, at + FLIP_NANOS);
            int t = operatorRandom.nextInt(TOPICS);
            boolean set = !overridden[t];
            String path = "/api/v1/policies/topics/" + topic(t);
            String body = set ? "{\"policy\":\"" + POLICIES[operatorRandom.nextInt(POLICIES.length)] + "\"}" : null;
            pools[operator.index].submit(request(Kind.POLICY, set ? "PUT" : "DELETE", path, body, -1, REQUEST_TIMEOUT_NANOS,
                    (r, a, e) -> {
                        count(Kind.POLICY, a);
                        if (stopping) {
                            return;
                        }
                        if (a != null && a.ok()) {
                            overridden[t] = set;
                            if (measuring) {
                                flips.increment();
                            }
                            changed(t, a, r.method + " " + path);
                        } else {
                            error(r.method + " " + path + ": " + describe(a, e));
                        }
                    }));
        });
    }

    /** For the progress lines: nodes live, with a view. */
    String state() {
        int live = 0;
        for (Node n : nodes) {
            if (n.live) {
                live++;
            }
        }
        return String.format(Locale.ROOT, "%,d live", live);
    }
}
